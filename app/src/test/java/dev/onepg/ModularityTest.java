package dev.onepg;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Spring Modulith's view of the modules: their dependencies are allowed ones, and the diagrams are current. */
class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(OnePgApplication.class);

    @Test
    void modulesOnlyUseWhatTheyAreAllowedTo() {
        modules.verify();
    }

    @Test
    void writesModuleDiagrams() {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder("../docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
