// Stops the PostgreSQL that start-postgres.groovy started.
def postgres = System.properties.remove('onepg.codegen.postgres')
if (postgres != null) {
    postgres.close()
    log.info('Code generation PostgreSQL stopped')
}
