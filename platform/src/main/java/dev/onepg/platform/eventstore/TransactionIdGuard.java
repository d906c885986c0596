package dev.onepg.platform.eventstore;

import dev.onepg.eventstore.postgres.TransactionIdCheck;
import javax.sql.DataSource;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Refuses to start on a database restored from another cluster until its transaction ids are rebased: runs
 * after the schema migration and before projections or the web server start. The {@code db} subcommand, which
 * performs the rebase, switches it off.
 */
@Component
@ConditionalOnProperty(name = "onepg.transaction-id-check.enabled", matchIfMissing = true)
class TransactionIdGuard implements SmartInitializingSingleton {

    private final DataSource dataSource;

    TransactionIdGuard(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterSingletonsInstantiated() {
        TransactionIdCheck.verify(dataSource);
    }
}
