package dev.parley;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules that keep Parley's modules layered. It lives in web because web's test classpath is the only one
 * that holds every module; only main code is imported, so tests and test jars may do as they please.
 *
 * <p>Each rule is checked from an {@code @ArchTest} method rather than declared as an {@code @ArchTest} field:
 * Surefire 3.5.3 silently skips fields (TNG/ArchUnit#1442), which would let every rule pass unseen.
 */
@AnalyzeClasses(
        packages = "dev.parley",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {

    /**
     * Maven's test-jar classifier. DoNotIncludeTests only knows test output directories, but once a module is
     * packaged its test classes (such as dev.parley.model.testing) reach web as parley-model-*-tests.jar.
     */
    static final class DoNotIncludeTestJars implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        @Override
        public boolean includes(Location location) {
            return !location.matches(TEST_JAR);
        }
    }

    /** A class from each module: without them every rule below would pass on an empty import. */
    @ArchTest
    static void importsMainCodeOfEveryModule(JavaClasses classes) {
        assertThat(classes.contain("dev.parley.protocol.ChatKitJson")).as("protocol imported").isTrue();
        assertThat(classes.contain("dev.parley.store.Store")).as("store imported").isTrue();
        assertThat(classes.contain("dev.parley.server.ChatKitServer")).as("server imported").isTrue();
        assertThat(classes.contain("dev.parley.model.ModelProvider")).as("model imported").isTrue();
        assertThat(classes.contain("dev.parley.workflow.Node")).as("workflow imported").isTrue();
        assertThat(classes.contain("dev.parley.web.Main")).as("web imported").isTrue();
        assertThat(classes.stream().map(JavaClass::getName).filter(n -> n.startsWith("dev.parley.model.testing")))
                .as("model's test jar imported")
                .isEmpty();
    }

    /** Each module uses only the ones below it; model is a side branch that only workflow and web build on. */
    private static final ArchRule MODULES_DEPEND_ONLY_ON_LOWER_MODULES = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            // Otherwise a new root package (dev.parley.util, say) would sit outside every layer, unchecked.
            .ensureAllClassesAreContainedInArchitecture()
            .layer("protocol").definedBy("dev.parley.protocol..")
            .layer("store").definedBy("dev.parley.store..")
            .layer("server").definedBy("dev.parley.server..")
            .layer("model").definedBy("dev.parley.model..")
            .layer("workflow").definedBy("dev.parley.workflow..")
            .layer("widget").definedBy("dev.parley.widget..")
            .layer("web").definedBy("dev.parley.web..")
            .whereLayer("protocol").mayNotAccessAnyLayer()
            .whereLayer("store").mayOnlyAccessLayers("protocol")
            .whereLayer("server").mayOnlyAccessLayers("protocol", "store")
            .whereLayer("model").mayNotAccessAnyLayer()
            .whereLayer("workflow").mayOnlyAccessLayers("protocol", "store", "server", "model")
            .whereLayer("widget").mayNotAccessAnyLayer()
            .whereLayer("web").mayOnlyAccessLayers("protocol", "store", "server", "model", "workflow", "widget");

    @ArchTest
    static void modulesDependOnlyOnLowerModules(JavaClasses classes) {
        MODULES_DEPEND_ONLY_ON_LOWER_MODULES.check(classes);
    }

    /** Every package is its own slice, so a parent and its subpackage may not lean on each other either. */
    private static final ArchRule PACKAGES_ARE_FREE_OF_CYCLES =
            slices().matching("dev.parley.(**)").should().beFreeOfCycles();

    @ArchTest
    static void packagesAreFreeOfCycles(JavaClasses classes) {
        PACKAGES_ARE_FREE_OF_CYCLES.check(classes);
    }

    /** Owner class to the members of it that read environment variables or system properties. */
    private static final Map<String, Set<String>> ENVIRONMENT_READERS = Map.of(
            System.class.getName(), Set.of("getenv", "getProperty", "getProperties"),
            Boolean.class.getName(), Set.of("getBoolean"),
            Integer.class.getName(), Set.of("getInteger"),
            Long.class.getName(), Set.of("getLong"));

    // An access rather than a call, so that a method reference such as System::getenv counts too.
    private static final DescribedPredicate<JavaAccess<?>> READS_ENVIRONMENT = DescribedPredicate.describe(
            "it reads the environment (System.getenv, System.getProperty, System.getProperties,"
                    + " Boolean.getBoolean, Integer.getInteger, Long.getLong)",
            access -> ENVIRONMENT_READERS
                    .getOrDefault(access.getTargetOwner().getName(), Set.of())
                    .contains(access.getName()));

    /** Configuration is read in one place, so every setting is documented and validated once. */
    private static final ArchRule ONLY_WEB_CONFIG_READS_THE_ENVIRONMENT = noClasses()
            .that().resideOutsideOfPackage("dev.parley.web.config..")
            .should().accessTargetWhere(READS_ENVIRONMENT);

    @ArchTest
    static void onlyWebConfigReadsTheEnvironment(JavaClasses classes) {
        ONLY_WEB_CONFIG_READS_THE_ENVIRONMENT.check(classes);
    }
}
