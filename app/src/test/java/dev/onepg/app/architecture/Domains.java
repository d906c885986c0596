package dev.onepg.app.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.List;

/** The domains of a system: the direct sub-packages of its base that are not platform packages. */
final class Domains {

    private Domains() {}

    static List<String> of(JavaClasses classes, String base) {
        return classes.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> name.startsWith(base + "."))
                .map(name -> name.substring(base.length() + 1).split("\\.")[0])
                .filter(name -> !ArchitectureRules.isPlatformPackage(name))
                .distinct()
                .sorted()
                .toList();
    }
}
