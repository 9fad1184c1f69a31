package dev.parley.store.postgres;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A host application's connection lent to Parley: everything goes to the real connection, except that closing it
 * first puts back the schema it had, so the host's pool gets the connection back as it lent it. A proxy rather
 * than a hand-written delegate, because {@link Connection} has some sixty methods of which only one changes.
 */
final class SchemaConnection {
    private SchemaConnection() {}

    /** {@return {@code connection}, whose {@code close()} first switches it back to {@code previous}} */
    static Connection wrap(Connection connection, String previous) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        try {
                            if (!connection.isClosed()) connection.setSchema(previous);
                        } catch (SQLException e) {
                            // A connection that cannot be reset must not go back to the host's pool as Parley's.
                            connection.abort(Runnable::run);
                            throw e;
                        } finally {
                            connection.close();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
