// Starts a throwaway PostgreSQL for jOOQ code generation and publishes its URL as ${codegen.db.url}.
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres

def base = new File(project.properties['codegen.directory'] as String)
base.mkdirs()
def postgres = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(new File(base, 'binaries'))
        .setDataDirectory(new File(base, 'data'))
        .setCleanDataDirectory(true)
        .start()
System.properties.put('onepg.codegen.postgres', postgres)
project.properties['codegen.db.url'] = postgres.getJdbcUrl('postgres', 'postgres')
log.info("Code generation PostgreSQL started at ${project.properties['codegen.db.url']}")
