package dev.onepg.eventstore.postgres.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;

/** A pool whose connections tell a test each method called on them, before it runs: what reaches the database. */
public final class ObservedConnections {

    /** Told the name and the arguments of each call on a connection; {@code args} is null for none. */
    public interface Observer {
        void called(String method, Object[] args);
    }

    private ObservedConnections() {}

    public static DataSource of(DataSource dataSource, Observer observer) {
        return (DataSource) Proxy.newProxyInstance(
                ObservedConnections.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    return method.getName().equals("getConnection") ? of((Connection) result, observer) : result;
                });
    }

    private static Connection of(Connection connection, Observer observer) {
        return (Connection) Proxy.newProxyInstance(
                ObservedConnections.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    observer.called(method.getName(), args);
                    return invoke(connection, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
