package dev.switchboard.transport.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One {@code batch} call, or one {@code POST /api} of newline-delimited commands (the same run,
 * answered in the other {@link ApiBatchFormat}): its commands run one after another, or with
 * {@code parallel: true} at most {@link #PARALLELISM} at a time, and the reply of each is encoded
 * as soon as it completes and counted against the response budget.
 *
 * <p>Why a budget: 2,000 {@code history} commands in a 92 KB request would otherwise build a
 * reply of gigabytes. Once the replies reach {@code maxResponseBytes}, the reply that crossed it
 * and every command not yet started get error 106 instead, and those commands are not run. So a
 * batch holds at most the budget plus {@link #PARALLELISM} replies in flight.
 */
final class ApiBatch {

    /** Commands of a {@code parallel} batch that run at the same time. */
    static final int PARALLELISM = 16;

    /**
     * Most commands one request may carry. Past the response budget every command still answers
     * a line of error 106, so without a cap a 4 MiB body of {@code {}} lines (1.4 million commands)
     * would build a response of about 150 MB; with it, at most ~1 MB beyond the budget.
     */
    static final int MAX_COMMANDS = 10_000;

    /**
     * A command resolved to its method, or the error that stands in its reply.
     *
     * @param id the caller's id echoed in its reply line ({@link ApiBatchFormat#LINES}); 0 for none
     */
    record Command(long id, String name, ApiOutcome.Method method, Params params, ProtocolError error) {

        static Command failed(long id, ProtocolError error) {
            return new Command(id, null, null, null, error);
        }
    }

    private final List<Command> commands;
    private final ApiBatchFormat format;
    /** Where a command's completion continues: never the engine's or the network's threads. */
    private final Executor continuations;

    private final boolean parallel;
    private final long maxResponseBytes;
    private final byte[][] replies;
    private final CompletableFuture<ApiResponse> done = new CompletableFuture<>();
    private final ProtocolError overBudget;
    private long used;
    private int next;
    private int running;
    private int finished;
    private boolean exhausted;

    private ApiBatch(
            List<Command> commands,
            ApiBatchFormat format,
            boolean parallel,
            long maxResponseBytes,
            Executor continuations) {
        if (commands.size() > MAX_COMMANDS) {
            throw new BadRequestException(
                    "a request carries at most " + MAX_COMMANDS + " commands, got " + commands.size() + "; split it");
        }
        this.commands = commands;
        this.format = format;
        this.continuations = continuations;
        this.parallel = parallel;
        this.maxResponseBytes = maxResponseBytes;
        this.replies = new byte[commands.size()][];
        this.overBudget =
                ProtocolError.LIMIT_EXCEEDED.withMessage("limit exceeded: batch response would be larger than "
                        + maxResponseBytes + " bytes; split the batch or ask for less");
    }

    /**
     * Parses and runs a batch body.
     *
     * @return the whole response; never fails
     */
    static CompletableFuture<ApiResponse> run(
            byte[] body, ApiMethods methods, long maxResponseBytes, Executor continuations) {
        ApiBatch batch;
        try {
            Params root = new Params(RequestJson.readObject(body));
            batch = new ApiBatch(
                    commands(root, methods),
                    ApiBatchFormat.REPLIES,
                    root.bool("parallel"),
                    maxResponseBytes,
                    continuations);
        } catch (BadRequestException e) {
            return CompletableFuture.completedFuture(
                    new ApiResponse(400, ApiJson.encodeError(ApiOutcome.badRequest(e))));
        }
        return batch.start();
    }

    /**
     * Parses and runs the newline-delimited commands of {@code POST /api} (see
     * {@link ApiCommandLines}), one after another, answering a line each.
     *
     * @return the whole response; never fails
     */
    static CompletableFuture<ApiResponse> runLines(
            byte[] body, ApiMethods methods, long maxResponseBytes, Executor continuations) {
        ApiBatch batch;
        try {
            batch = new ApiBatch(
                    ApiCommandLines.parse(body, methods), ApiBatchFormat.LINES, false, maxResponseBytes, continuations);
        } catch (BadRequestException e) {
            return CompletableFuture.completedFuture(
                    new ApiResponse(400, ApiJson.encodeError(ApiOutcome.badRequest(e))));
        }
        return batch.start();
    }

    private CompletableFuture<ApiResponse> start() {
        if (!complete()) {
            startMore();
        }
        return done;
    }

    private static List<Command> commands(Params root, ApiMethods methods) {
        JsonNode list = root.node("commands");
        if (list == null) {
            throw new BadRequestException("commands required");
        }
        if (!list.isArray()) {
            throw new BadRequestException("commands must be an array");
        }
        List<Command> out = new ArrayList<>(list.size());
        for (JsonNode cmd : list) {
            out.add(command(cmd, methods));
        }
        return out;
    }

    private static Command command(JsonNode cmd, ApiMethods methods) {
        if (!cmd.isObject()) {
            return Command.failed(0, ProtocolError.BAD_REQUEST.withMessage("bad request: command must be an object"));
        }
        String name = null;
        JsonNode params = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = cmd.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull() || methods.get(e.getKey()) == null) {
                continue;
            }
            if (name != null) {
                return Command.failed(
                        0, ProtocolError.BAD_REQUEST.withMessage("bad request: command must name exactly one method"));
            }
            name = e.getKey();
            params = e.getValue();
        }
        if (name == null) {
            return Command.failed(0, ProtocolError.METHOD_NOT_FOUND);
        }
        if (!params.isObject()) {
            return Command.failed(
                    0, ProtocolError.BAD_REQUEST.withMessage("bad request: " + name + " must be an object"));
        }
        return new Command(0, name, methods.get(name), new Params((ObjectNode) params), null);
    }

    /**
     * Starts commands while the window allows. Commands that complete at once (the memory engine)
     * are taken in this loop rather than by recursion, so a long batch does not grow the stack.
     */
    private void startMore() {
        while (true) {
            int index;
            synchronized (this) {
                if (next == commands.size() || running >= (parallel ? PARALLELISM : 1)) {
                    return;
                }
                index = next++;
                if (exhausted) {
                    replies[index] = format.error(commands.get(index), overBudget);
                    finished++;
                    if (complete()) {
                        return;
                    }
                    continue;
                }
                running++;
            }
            Command c = commands.get(index);
            CompletableFuture<ApiOutcome> f = c.error() != null
                    ? CompletableFuture.completedFuture(ApiOutcome.error(c.error()))
                    : ApiOutcome.invoke(c.method(), c.params());
            if (f.isDone()) {
                if (finish(index, c, f.join())) {
                    return;
                }
            } else {
                f.thenAcceptAsync(
                        o -> {
                            if (!finish(index, c, o)) {
                                startMore();
                            }
                        },
                        continuations);
                if (!parallel) {
                    return;
                }
            }
        }
    }

    /** Records a reply; true when that was the last one. */
    private boolean finish(int index, Command c, ApiOutcome o) {
        byte[] reply = format.reply(c, o);
        synchronized (this) {
            running--;
            finished++;
            if (exhausted || used + reply.length > maxResponseBytes) {
                exhausted = true;
                reply = format.error(c, overBudget);
            } else {
                used += reply.length;
            }
            replies[index] = reply;
            return complete();
        }
    }

    /** Completes the response when every reply is in; true when it did. Called holding the lock or before start. */
    private boolean complete() {
        if (finished < commands.size()) {
            return false;
        }
        // One copy into the final body; the replies were counted against the budget already.
        byte[] out = format.join(replies);
        done.complete(new ApiResponse(200, out));
        return true;
    }
}
