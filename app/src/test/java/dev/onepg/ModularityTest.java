package dev.onepg;

import com.tngtech.archunit.core.domain.JavaClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Spring Modulith's view of the modules: their dependencies are allowed ones, and the diagrams are current. */
class ModularityTest {

    private static final Path DIAGRAMS = Path.of("..", "docs", "modules");

    private final ApplicationModules modules = ApplicationModules.of(
            OnePgApplication.class,
            // The platform's test support (test databases, callers) comes with its test jar; it is no production code.
            JavaClass.Predicates.resideInAPackage("dev.onepg.platform.testing.."));

    @Test
    void modulesOnlyUseWhatTheyAreAllowedTo() {
        modules.verify();
    }

    @Test
    void writesModuleDiagrams() throws IOException {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(DIAGRAMS.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        try (Stream<Path> diagrams = Files.list(DIAGRAMS)) {
            for (Path diagram :
                    diagrams.filter(path -> path.toString().endsWith(".puml")).toList()) {
                sortRelations(diagram);
            }
        }
    }

    /** The Documenter writes relations in no stable order; sorted, the committed diagrams change only with the code. */
    private static void sortRelations(Path diagram) throws IOException {
        List<String> lines = Files.readAllLines(diagram);
        List<String> relations = new ArrayList<>(
                lines.stream().filter(line -> line.startsWith("Rel(")).toList());
        relations.sort(null);
        List<String> sorted = new ArrayList<>();
        int next = 0;
        for (String line : lines) {
            sorted.add(line.startsWith("Rel(") ? relations.get(next++) : line);
        }
        Files.write(diagram, sorted);
    }
}
