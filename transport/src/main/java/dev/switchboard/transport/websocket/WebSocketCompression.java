package dev.switchboard.transport.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.Map;

/**
 * WebSocket permessage-deflate (RFC 7692), off by default ({@code websocket.compression}): a client
 * that offers it gets its messages compressed and may send compressed ones. It trades CPU and
 * memory (a deflater and an inflater per connection, with its context kept between messages) for
 * bandwidth; delta compression of channels usually saves more for less.
 *
 * <pre>{@code
 * WebSocketCompression c = WebSocketCompression.builder().enabled(true).level(1).minSize(256).build();
 * }</pre>
 */
public final class WebSocketCompression {

    /** Default {@code websocket.compression}: off, as in Centrifugo. */
    public static final boolean DEFAULT_ENABLED = false;
    /** Default {@code websocket.compression_level}: 1, the fastest deflate level. */
    public static final int DEFAULT_LEVEL = 1;
    /** Default {@code websocket.compression_min_size}: every message is compressed. */
    public static final int DEFAULT_MIN_SIZE = 0;

    /** Compression off. */
    public static final WebSocketCompression OFF = builder().build();

    private final boolean enabled;
    private final int level;
    private final int minSize;

    private WebSocketCompression(Builder b) {
        this.enabled = b.enabled;
        this.level = b.level;
        this.minSize = b.minSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code websocket.compression}: negotiate permessage-deflate with clients that offer it. */
    public boolean enabled() {
        return enabled;
    }

    /** {@code websocket.compression_level}: deflate level, 1 (fastest) to 9 (smallest). */
    public int level() {
        return level;
    }

    /** {@code websocket.compression_min_size}: outbound messages smaller than this go uncompressed. */
    public int minSize() {
        return minSize;
    }

    /**
     * The extension this node agrees to for an upgrade request, or {@code null} (off, or not
     * offered). Inflated inbound messages are bounded by {@code maxMessageSize}, so a small
     * compressed frame cannot expand into an unbounded buffer.
     */
    WebSocketServerExtension negotiate(HttpHeaders request, int maxMessageSize) {
        String offered = request.get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (!enabled || offered == null) {
            return null;
        }
        WebSocketExtensionFilterProvider small = new WebSocketExtensionFilterProvider() {
            @Override
            public WebSocketExtensionFilter encoderFilter() {
                return (WebSocketFrame frame) -> frame.content().readableBytes() < minSize;
            }

            @Override
            public WebSocketExtensionFilter decoderFilter() {
                return WebSocketExtensionFilter.NEVER_SKIP;
            }
        };
        PerMessageDeflateServerExtensionHandshaker handshaker =
                new PerMessageDeflateServerExtensionHandshaker(level, false, 15, false, false, small, maxMessageSize);
        for (WebSocketExtensionData data : WebSocketExtensionUtil.extractExtensions(offered)) {
            WebSocketServerExtension ext = handshaker.handshakeExtension(data);
            if (ext != null) {
                return ext;
            }
        }
        return null;
    }

    /** The {@code Sec-WebSocket-Extensions} value answering with {@code data}. */
    static String header(WebSocketExtensionData data) {
        StringBuilder sb = new StringBuilder(data.name());
        for (Map.Entry<String, String> p : data.parameters().entrySet()) {
            sb.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                sb.append('=').append(p.getValue());
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "WebSocketCompression{enabled=" + enabled + ", level=" + level + ", minSize=" + minSize + '}';
    }

    /** Builder of {@link WebSocketCompression}; every field starts at its default. */
    public static final class Builder {
        private boolean enabled = DEFAULT_ENABLED;
        private int level = DEFAULT_LEVEL;
        private int minSize = DEFAULT_MIN_SIZE;

        private Builder() {}

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        public Builder level(int v) {
            if (v < 1 || v > 9) {
                throw new IllegalArgumentException("websocket.compression_level must be 1 to 9, got " + v);
            }
            level = v;
            return this;
        }

        public Builder minSize(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("websocket.compression_min_size must be >= 0, got " + v);
            }
            minSize = v;
            return this;
        }

        public WebSocketCompression build() {
            return new WebSocketCompression(this);
        }
    }
}
