package dev.parley.web.access;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The address a request comes from, for limits that count per client. */
public final class ClientAddress {
    private ClientAddress() {}

    /**
     * {@return the client's address}: the socket's peer, or with {@code trustProxy} the first address of
     * {@code X-Forwarded-For} (which only a proxy that writes that header may be trusted with)
     */
    public static String of(ServerRequest req, boolean trustProxy) {
        if (trustProxy) {
            Optional<String> forwarded = req.headers().first(HeaderNames.X_FORWARDED_FOR);
            if (forwarded.isPresent()) return forwarded.get().split(",")[0].strip();
        }
        return req.remotePeer().address() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : req.remotePeer().host();
    }
}
