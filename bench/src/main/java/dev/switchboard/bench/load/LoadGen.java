package dev.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.Micros;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.transport.IoTransport;
import dev.switchboard.transport.SwitchboardWorker;
import dev.switchboard.transport.auth.TokenGenerator;
import dev.switchboard.transport.config.EngineType;
import dev.switchboard.transport.config.ServerConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load generator: a process of its own, started by the bench with a JSON spec. It opens
 * every connection of its share (subscribers, publishers, agents) over several source
 * addresses, reports {@code ready}, then obeys one-line JSON commands on stdin and answers with
 * one-line JSON events on stdout:
 * <ul>
 *   <li>{@code pub}: publish at a fixed rate from {@code startUs} for warm-up + measurement,
 *       record publish→deliver latency of publications sent inside the measurement window, wait
 *       {@code drainMs}, report the histogram;</li>
 *   <li>{@code rpc}: closed-loop invoke lanes at a fixed rate over HTTP or from an in-process
 *       worker, coordinated omission corrected with {@code recordValueWithExpectedInterval};</li>
 *   <li>{@code bround}: arm for one broadcast and report when every connection has it;</li>
 *   <li>{@code conns}: open {@code count} connections, at most {@code concurrency} at a time,
 *       with a JWT or tokenless, each subscribing to one channel of {@code namespace} (if given),
 *       record WebSocket open → connect reply and subscribe → reply, close each;</li>
 *   <li>{@code exit}.</li>
 * </ul>
 * It exits by itself after {@code maxSeconds}, or when stdin closes (the bench went away).
 */
public final class LoadGen {

    static final class Window {
        static final Window NONE = new Window(Long.MAX_VALUE, Long.MAX_VALUE);
        final long from;
        final long to;
        final Recorder recorder = Histograms.recorder();
        final LongAdder count = new LongAdder();

        Window(long from, long to) {
            this.from = from;
            this.to = to;
        }
    }

    private final JsonNode spec;
    private final boolean socketIo;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final List<InetSocketAddress> nodes = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();
    private final AtomicInteger sourceCursor = new AtomicInteger();
    private final PrintStream out;
    final Payload payload;
    private final String[] channelNames;
    private final List<WsConn> subscribers = new ArrayList<>();
    private final List<WsConn> publishers = new ArrayList<>();
    /** What a {@code pub} step publishes through: the publisher connections, or server API lanes. */
    private final List<Publisher> pacers = new ArrayList<>();

    private final List<WsConn> agents = new ArrayList<>();
    private volatile Window window = Window.NONE;
    private volatile boolean shuttingDown;
    final LongAdder published = new LongAdder();
    final LongAdder invocationsAnswered = new LongAdder();
    private final LongAdder outside = new LongAdder();
    private final LongAdder pubOk = new LongAdder();
    private final LongAdder pubErr = new LongAdder();
    private final AtomicReference<String> firstPubError = new AtomicReference<>();
    private final AtomicLong closedUnexpectedly = new AtomicLong();
    private final AtomicReference<String> firstClose = new AtomicReference<>();
    private SwitchboardWorker worker;

    private LoadGen(JsonNode spec) {
        this.spec = spec;
        this.socketIo = "socketio".equals(spec.path("protocol").asText());
        this.out =
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8)); // stray prints go to the log
        // NIO unless the spec says otherwise: the generator stays the same while the nodes' io_transport varies.
        IoTransport io = IoTransport.fromConfigName(spec.path("io_transport").asText("nio"))
                .resolve();
        this.group = io.newEventLoopGroup(spec.path("threads").asInt(2), "loadgen");
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(io.socketChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
        for (JsonNode n : spec.path("nodes")) {
            nodes.add(new InetSocketAddress(
                    n.path("host").asText("127.0.0.1"), n.path("port").asInt()));
        }
        spec.path("sources").forEach(s -> sources.add(s.asText()));
        this.payload = new Payload(spec.path("size").asInt(100));
        int channels = spec.path("channels").path("count").asInt(1);
        String prefix = spec.path("channels").path("prefix").asText("ch");
        channelNames = new String[channels];
        for (int i = 0; i < channels; i++) {
            channelNames[i] = prefix + i;
        }
    }

    public static void main(String[] args) throws Exception {
        JsonNode spec = Json.parse(Files.readAllBytes(Path.of(args[0])));
        LoadGen lg = new LoadGen(spec);
        lg.run();
    }

    String channelName(int i) {
        return channelNames[i];
    }

    // ---- lifecycle ----

    private void run() throws Exception {
        long maxSeconds = spec.path("maxSeconds").asLong(600);
        Thread deadline = new Thread(
                () -> {
                    try {
                        Thread.sleep(maxSeconds * 1000);
                        emit(event("error").put("message", "deadline of " + maxSeconds + " s reached, exiting"));
                        Runtime.getRuntime().halt(3);
                    } catch (InterruptedException ignored) {
                        // normal exit
                    }
                },
                "deadline");
        deadline.setDaemon(true);
        deadline.start();
        try {
            connectAll();
            commandLoop();
        } catch (Throwable t) {
            t.printStackTrace();
            emit(event("error").put("message", t.toString()));
        } finally {
            shutdown();
        }
    }

    private void shutdown() {
        shuttingDown = true;
        if (worker != null) {
            try {
                worker.close();
            } catch (RuntimeException ignored) {
                // exiting anyway
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        out.flush();
        System.exit(0); // runs shutdown hooks (a JFR recording is dumped)
    }

    private void commandLoop() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode cmd = Json.parse(line);
            switch (cmd.path("cmd").asText()) {
                case "pub" -> pubStep(cmd);
                case "rpc" -> rpcStep(cmd);
                case "bround" -> broadcastRound(cmd);
                case "conns" -> connectRun(cmd);
                case "stats" -> emit(stats(event("stats")));
                case "exit" -> {
                    return;
                }
                default -> emit(event("error").put("message", "unknown command " + cmd));
            }
        }
    }

    // ---- connections ----

    private InetSocketAddress nextSource() {
        if (sources.isEmpty()) {
            return null;
        }
        return new InetSocketAddress(sources.get(Math.floorMod(sourceCursor.getAndIncrement(), sources.size())), 0);
    }

    private URI uri(InetSocketAddress node) {
        String path = socketIo ? "/socket.io/?EIO=4&transport=websocket" : "/connection/websocket";
        return URI.create("ws://" + node.getHostString() + ":" + node.getPort() + path);
    }

    private void connectAll() throws InterruptedException {
        long t0 = System.nanoTime();
        TokenGenerator tokens =
                socketIo ? null : TokenGenerator.hmac(spec.path("secret").asText());
        List<Runnable> opens = new ArrayList<>();
        List<WsConn> all = new ArrayList<>();

        JsonNode subs = spec.path("subscribers");
        int from = subs.path("from").asInt(0);
        int to = subs.path("to").asInt(0);
        int perConn = subs.path("perConn").asInt(1);
        List<Integer> subNodes = ints(subs.path("nodes"));
        int channels = channelNames.length;
        for (int i = from; i < to; i++) {
            List<String> chans = new ArrayList<>(perConn);
            for (int j = 0; j < perConn; j++) {
                chans.add(channelNames[(int) (((long) i * perConn + j) % channels)]);
            }
            int node = subNodes.get((int) (((long) i * perConn / channels) % subNodes.size()));
            WsConn c = socketIo
                    ? new SioConn(this, WsConn.Role.SUBSCRIBER, i, rooms(chans))
                    : subscriber(
                            spec.path("transport").asText("websocket"),
                            i,
                            tokens.connectToken("u" + i, Duration.ofHours(3), List.of(), null),
                            chans);
            subscribers.add(c);
            all.add(c);
            opens.add(() -> c.open(bootstrap, uri(nodes.get(node)), nodes.get(node), nextSource()));
        }
        JsonNode pubs = spec.path("publishers");
        List<Integer> pubNodes = ints(pubs.path("nodes"));
        boolean viaApi = pubs.path("via").asText("client").equals("api");
        for (int j = 0; j < (viaApi ? 0 : pubs.path("count").asInt(0)); j++) {
            int node = pubNodes.get(j % pubNodes.size());
            WsConn c = socketIo
                    ? new SioConn(this, WsConn.Role.PUBLISHER, j, "{}")
                    : new SbConn(
                            this,
                            WsConn.Role.PUBLISHER,
                            j,
                            tokens.connectToken("pub" + j, Duration.ofHours(3), List.of(), null),
                            List.of());
            publishers.add(c);
            all.add(c);
            opens.add(() -> c.open(bootstrap, uri(nodes.get(node)), nodes.get(node), nextSource()));
        }
        JsonNode ag = spec.path("agents");
        for (int j = 0; j < ag.path("count").asInt(0); j++) {
            int node = ag.path("node").asInt(0);
            String key = ag.path("prefix").asText("agent-") + j;
            long exp = System.currentTimeMillis() / 1000 + 3 * 3600;
            WsConn c = socketIo
                    ? new SioConn(this, WsConn.Role.AGENT, j, "{\"rooms\":[\"rk:" + key + "\"]}")
                    : new SbConn(
                            this,
                            WsConn.Role.AGENT,
                            j,
                            tokens.signClaims(
                                    "{\"sub\":\"agent" + j + "\",\"exp\":" + exp + ",\"routing_key\":\"" + key + "\"}"),
                            List.of());
            agents.add(c);
            all.add(c);
            opens.add(() -> c.open(bootstrap, uri(nodes.get(node)), nodes.get(node), nextSource()));
        }

        Semaphore inFlight = new Semaphore(spec.path("connectConcurrency").asInt(200));
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long lastProgress = System.nanoTime();
        for (int i = 0; i < opens.size(); i++) {
            while (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
                lastProgress = progress(lastProgress, ok.get(), failed.get(), all.size());
            }
            WsConn c = all.get(i);
            opens.get(i).run();
            c.ready.whenComplete((r, err) -> {
                if (err == null) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, err.toString());
                }
                inFlight.release();
            });
            lastProgress = progress(lastProgress, ok.get(), failed.get(), all.size());
        }
        long deadline = System.nanoTime()
                + TimeUnit.SECONDS.toNanos(spec.path("connectTimeoutSec").asLong(120));
        for (WsConn c : all) {
            long left = deadline - System.nanoTime();
            try {
                c.ready.get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (!c.ready.isDone()) {
                    c.ready.completeExceptionally(new IllegalStateException("not ready in time"));
                }
            }
        }
        if (viaApi) {
            if (socketIo) {
                throw new IllegalArgumentException("publishing through the server API is for Switchboard only");
            }
            for (int j = 0; j < pubs.path("count").asInt(0); j++) {
                InetSocketAddress node = nodes.get(pubNodes.get(j % pubNodes.size()));
                HttpLane lane = new HttpLane(
                        node.getHostString() + ":" + node.getPort(),
                        "/api/publish",
                        spec.path("apiKey").asText());
                try {
                    pacers.add(new ApiPublisher(
                            this, lane.open(bootstrap, node, nextSource()).get(20, TimeUnit.SECONDS)));
                    ok.incrementAndGet();
                } catch (Exception e) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, "server API lane: " + e);
                }
            }
        } else {
            pacers.addAll(publishers);
        }
        ObjectNode ev = event("ready")
                .put("connected", ok.get())
                .put("failed", failed.get())
                .put("subscribers", subscribers.size())
                .put("publishers", pacers.size())
                .put("agents", agents.size())
                .put("connectMillis", (System.nanoTime() - t0) / 1_000_000);
        if (firstError.get() != null) {
            ev.put("firstError", firstError.get());
        }
        emit(ev);
    }

    private long progress(long last, int ok, int failed, int total) {
        long now = System.nanoTime();
        if (now - last > TimeUnit.SECONDS.toNanos(5)) {
            emit(event("progress").put("connected", ok).put("failed", failed).put("total", total));
            return now;
        }
        return last;
    }

    /** A subscriber of Switchboard over {@code transport}: websocket (JSON), websocket-protobuf, http_stream or sse. */
    private WsConn subscriber(String transport, int i, String token, List<String> chans) {
        return switch (transport) {
            case "websocket" -> new SbConn(this, WsConn.Role.SUBSCRIBER, i, token, chans);
            case "websocket-protobuf" -> new PbConn(this, WsConn.Role.SUBSCRIBER, i, token, chans);
            case "http_stream" -> new EmuConn(this, WsConn.Role.SUBSCRIBER, i, token, chans, EmuConn.Kind.HTTP_STREAM);
            case "sse" -> new EmuConn(this, WsConn.Role.SUBSCRIBER, i, token, chans, EmuConn.Kind.SSE);
            default -> throw new IllegalArgumentException("unknown transport " + transport);
        };
    }

    private static String rooms(List<String> chans) {
        StringBuilder sb = new StringBuilder("{\"rooms\":[");
        for (int i = 0; i < chans.size(); i++) {
            sb.append(i == 0 ? "\"" : ",\"").append(chans.get(i)).append('"');
        }
        return sb.append("]}").toString();
    }

    private static List<Integer> ints(JsonNode arr) {
        List<Integer> l = new ArrayList<>();
        arr.forEach(n -> l.add(n.asInt()));
        if (l.isEmpty()) {
            l.add(0);
        }
        return l;
    }

    // ---- callbacks from connections ----

    void delivered(long t, long now) {
        Window w = window;
        if (t >= w.from && t < w.to) {
            long v = now - t;
            w.recorder.recordValue(v < 0 ? 0 : Math.min(v, Histograms.HIGHEST));
            w.count.increment();
        } else {
            outside.increment();
        }
    }

    void publishReply(boolean ok, String error) {
        if (ok) {
            pubOk.increment();
        } else {
            pubErr.increment();
            firstPubError.compareAndSet(null, error);
        }
    }

    void noteClose(WsConn c, String why) {
        if (!shuttingDown && c.role != WsConn.Role.PROBE && c.ready.isDone() && !c.ready.isCompletedExceptionally()) {
            firstClose.compareAndSet(null, c.role + " " + c.index + ": " + why);
        }
    }

    void connectionClosed(WsConn c) {
        if (!shuttingDown && c.role != WsConn.Role.PROBE && c.ready.isDone() && !c.ready.isCompletedExceptionally()) {
            closedUnexpectedly.incrementAndGet();
        }
    }

    // ---- publish steps ----

    private void pubStep(JsonNode cmd) throws InterruptedException {
        double rate = cmd.path("rate").asDouble();
        long start = cmd.path("startUs").asLong();
        long from = start + cmd.path("warmupMs").asLong() * 1000;
        long to = from + cmd.path("measureMs").asLong() * 1000;
        Window w = new Window(from, to);
        window = w;
        long inWindow = 0;
        long sent = 0;
        int c = channelNames.length;
        if (!pacers.isEmpty() && rate > 0) {
            Micros.sleepUntil(start);
            long k = 0;
            while (true) {
                long now = Micros.now();
                if (now >= to) {
                    break;
                }
                while (true) {
                    long it = start + (long) (k * 1_000_000.0 / rate);
                    if (it > now || it >= to) {
                        break;
                    }
                    int ch = (int) (k % c);
                    pacers.get(ch % pacers.size()).enqueuePublish(ch, it);
                    if (it >= from) {
                        inWindow++;
                    }
                    sent++;
                    k++;
                }
                for (Publisher p : pacers) {
                    p.flushOutbox();
                }
                // Sleep until the next publication is due (at most 1 ms): no busy ticking.
                long next = start + (long) (k * 1_000_000.0 / rate);
                long sleepUs = Math.min(1_000, Math.max(20, next - Micros.now()));
                LockSupport.parkNanos(sleepUs * 1_000);
            }
        } else {
            Micros.sleepUntil(to);
        }
        Micros.sleepUntil(to + cmd.path("drainMs").asLong(2000) * 1000);
        window = Window.NONE;
        Histogram h = w.recorder.getIntervalHistogram();
        ObjectNode ev = event("pub")
                .put("id", cmd.path("id").asInt())
                .put("count", h.getTotalCount())
                .put("publishedInWindow", inWindow)
                .put("published", sent)
                .put("hist", Histograms.encode(h));
        emit(stats(ev));
    }

    // ---- rpc steps ----

    private final class Lane {
        final EventLoop loop;
        final HttpLane http;
        final int laneIndex;
        final int lanes;
        final long startNs;
        final long endNs;
        final long intervalNs;
        final long windowFrom;
        final long windowTo;
        final Recorder recorder;
        final LongAdder ok;
        final LongAdder errors;
        final AtomicReference<String> firstError;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final String agentPrefix;
        final int agentCount;
        final long timeoutMs;
        long k;

        Lane(
                EventLoop loop,
                HttpLane http,
                int laneIndex,
                int lanes,
                long startNs,
                long endNs,
                long intervalNs,
                long windowFrom,
                long windowTo,
                Recorder recorder,
                LongAdder ok,
                LongAdder errors,
                AtomicReference<String> firstError,
                String agentPrefix,
                int agentCount,
                long timeoutMs) {
            this.loop = loop;
            this.http = http;
            this.laneIndex = laneIndex;
            this.lanes = lanes;
            this.startNs = startNs;
            this.endNs = endNs;
            this.intervalNs = intervalNs;
            this.windowFrom = windowFrom;
            this.windowTo = windowTo;
            this.recorder = recorder;
            this.ok = ok;
            this.errors = errors;
            this.firstError = firstError;
            this.agentPrefix = agentPrefix;
            this.agentCount = agentCount;
            this.timeoutMs = timeoutMs;
        }

        void next() {
            long due = startNs + k * intervalNs;
            if (due >= endNs) {
                done.complete(null);
                return;
            }
            long delay = due - System.nanoTime();
            if (delay > 20_000) {
                loop.schedule(this::fire, delay, TimeUnit.NANOSECONDS);
            } else {
                fire();
            }
        }

        void fire() {
            long sendNs = System.nanoTime();
            long sendUs = Micros.now();
            long n = k++;
            String agent = agentPrefix + (int) ((laneIndex + n * lanes) % agentCount);
            CompletableFuture<String> call;
            if (http != null) {
                String body = socketIo
                        ? "{\"room\":\"rk:" + agent + "\",\"method\":\"echo\",\"data\":{\"n\":" + n + "},\"timeout\":"
                                + timeoutMs + "}"
                        : "{\"routing_key\":\"" + agent + "\",\"method\":\"echo\",\"data\":{\"n\":" + n
                                + "},\"timeout\":" + timeoutMs + "}";
                call = http.post(body.getBytes(StandardCharsets.UTF_8));
            } else {
                call = worker.node()
                        .invoke(
                                InvokeTarget.routingKey(agent),
                                "echo",
                                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8),
                                Duration.ofMillis(timeoutMs))
                        .handle((r, err) -> err == null ? null : err.toString());
            }
            call.whenComplete((err, t) -> {
                long latUs = (System.nanoTime() - sendNs) / 1000;
                Runnable after = () -> {
                    String e = t != null ? t.toString() : err;
                    if (sendUs >= windowFrom && sendUs < windowTo) {
                        if (e == null) {
                            recorder.recordValueWithExpectedInterval(
                                    Math.min(latUs, Histograms.HIGHEST), intervalNs / 1000);
                            ok.increment();
                        } else {
                            errors.increment();
                            firstError.compareAndSet(null, e);
                        }
                    }
                    next();
                };
                if (loop.inEventLoop()) {
                    after.run();
                } else {
                    loop.execute(after);
                }
            });
        }
    }

    private void rpcStep(JsonNode cmd) throws Exception {
        String via = cmd.path("via").asText("http");
        int lanes = cmd.path("lanes").asInt(4);
        double rate = cmd.path("rate").asDouble(1000);
        long start = cmd.path("startUs").asLong();
        long from = start + cmd.path("warmupMs").asLong() * 1000;
        long to = from + cmd.path("measureMs").asLong() * 1000;
        long timeoutMs = cmd.path("timeoutMs").asLong(5000);
        String prefix = spec.path("agents").path("prefix").asText("agent-");
        int agentCount =
                cmd.path("agents").asInt(spec.path("agents").path("count").asInt(1));
        List<HttpLane> https = new ArrayList<>();
        if (via.equals("worker")) {
            if (worker == null) {
                ServerConfig cfg = ServerConfig.builder()
                        .engine(EngineType.REDIS)
                        .redisUrl(spec.path("redisUrl").asText())
                        .redisPrefix(spec.path("redisPrefix").asText("sb"))
                        .node(NodeOptions.builder().name("bench-worker").build())
                        .build();
                worker = SwitchboardWorker.start(cfg);
                // Warm the worker's path before the schedule starts.
                try {
                    worker.node()
                            .invoke(
                                    InvokeTarget.routingKey(prefix + 0),
                                    "echo",
                                    "1".getBytes(StandardCharsets.UTF_8),
                                    Duration.ofSeconds(5))
                            .get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    emit(event("error").put("message", "worker warm-up call failed: " + e));
                }
            }
        } else {
            InetSocketAddress node = nodes.get(cmd.path("node").asInt());
            String path = socketIo ? "/invoke" : "/api/invoke";
            for (int i = 0; i < lanes; i++) {
                HttpLane l = new HttpLane(
                        node.getHostString() + ":" + node.getPort(),
                        path,
                        socketIo ? null : spec.path("apiKey").asText());
                https.add(l.open(bootstrap, node, nextSource()).get(10, TimeUnit.SECONDS));
            }
        }
        Recorder recorder = Histograms.recorder();
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        long nowUs = Micros.now();
        long nowNs = System.nanoTime();
        long startNs = nowNs + (start - nowUs) * 1000;
        long endNs = nowNs + (to - nowUs) * 1000;
        long intervalNs = (long) (lanes * 1e9 / rate);
        List<Lane> all = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            HttpLane h = https.isEmpty() ? null : https.get(i);
            EventLoop loop = h != null ? h.channel().eventLoop() : group.next();
            Lane lane = new Lane(
                    loop,
                    h,
                    i,
                    lanes,
                    startNs + i * intervalNs / lanes,
                    endNs,
                    intervalNs,
                    from,
                    to,
                    recorder,
                    ok,
                    errors,
                    firstError,
                    prefix,
                    agentCount,
                    timeoutMs);
            all.add(lane);
            loop.execute(lane::next);
        }
        for (Lane l : all) {
            try {
                l.done.get((to - Micros.now()) / 1000 + timeoutMs + 5000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                firstError.compareAndSet(null, "lane did not finish: " + e);
            }
        }
        https.forEach(HttpLane::close);
        Histogram h = recorder.getIntervalHistogram();
        ObjectNode ev = event("rpc")
                .put("id", cmd.path("id").asInt())
                .put("count", ok.sum())
                .put("errors", errors.sum())
                .put("hist", Histograms.encode(h));
        if (firstError.get() != null) {
            ev.put("firstError", firstError.get());
        }
        emit(stats(ev));
    }

    // ---- connect runs ----

    private void connectRun(JsonNode cmd) throws InterruptedException {
        int count = cmd.path("count").asInt();
        int concurrency = cmd.path("concurrency").asInt(8);
        boolean withToken = cmd.path("token").asBoolean(true);
        String namespace = cmd.path("namespace").asText("");
        InetSocketAddress node = nodes.get(cmd.path("node").asInt(0));
        TokenGenerator tokens = TokenGenerator.hmac(spec.path("secret").asText());
        Histogram connect = Histograms.empty();
        Histogram subscribe = Histograms.empty();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(concurrency);
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(cmd.path("timeoutMs").asLong(120_000));
        int started = 0;
        for (int i = 0; i < count; i++) {
            if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                firstError.compareAndSet(null, "deadline reached after " + started + " connects");
                break;
            }
            String token = withToken ? tokens.connectToken("u" + i, Duration.ofHours(1), List.of(), null) : null;
            SbConn c = new SbConn(
                    this, WsConn.Role.PROBE, i, token, namespace.isEmpty() ? List.of() : List.of(namespace + ":c" + i));
            c.ready.whenComplete((r, err) -> {
                if (err == null) {
                    synchronized (connect) {
                        connect.recordValue(Math.min((c.connectReplyNs - c.openNs) / 1000, Histograms.HIGHEST));
                        if (!namespace.isEmpty()) {
                            subscribe.recordValue(Math.min((c.readyNs - c.subscribeSentNs) / 1000, Histograms.HIGHEST));
                        }
                    }
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, err.toString());
                }
                c.close();
                inFlight.release();
            });
            c.open(bootstrap, uri(node), node, nextSource());
            started++;
        }
        if (!inFlight.tryAcquire(concurrency, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            firstError.compareAndSet(null, "connects still open at the deadline");
        }
        long elapsedUs = (System.nanoTime() - t0) / 1000;
        ObjectNode ev = event("conns")
                .put("id", cmd.path("id").asInt())
                .put("ok", ok.get())
                .put("failed", failed.get())
                .put("elapsedUs", elapsedUs);
        synchronized (connect) {
            ev.put("connectHist", Histograms.encode(connect)).put("subscribeHist", Histograms.encode(subscribe));
        }
        if (firstError.get() != null) {
            ev.put("firstError", firstError.get());
        }
        emit(ev);
    }

    // ---- broadcast rounds ----

    private void broadcastRound(JsonNode cmd) throws InterruptedException {
        long expect = cmd.path("expect").asLong(subscribers.size());
        Window w = new Window(0, Long.MAX_VALUE);
        window = w;
        emit(event("armed").put("id", cmd.path("id").asInt()));
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(cmd.path("timeoutMs").asLong(10_000));
        while (w.count.sum() < expect && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        window = Window.NONE;
        Histogram h = w.recorder.getIntervalHistogram();
        emit(stats(event("bround")
                .put("id", cmd.path("id").asInt())
                .put("count", h.getTotalCount())
                .put("hist", Histograms.encode(h))));
    }

    // ---- output ----

    private ObjectNode event(String type) {
        return Json.object().put("event", type);
    }

    private ObjectNode stats(ObjectNode ev) {
        ev.put("pubOk", pubOk.sum())
                .put("pubErr", pubErr.sum())
                .put("outside", outside.sum())
                .put("closedUnexpectedly", closedUnexpectedly.get())
                .put("invocationsAnswered", invocationsAnswered.sum());
        if (firstPubError.get() != null) {
            ev.put("firstPubError", firstPubError.get());
        }
        if (firstClose.get() != null) {
            ev.put("firstClose", firstClose.get());
        }
        return ev;
    }

    private synchronized void emit(ObjectNode ev) {
        out.println(Json.line(ev));
    }
}
