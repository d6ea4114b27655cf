package dev.switchboard.server.abuse;

import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Row 3: the API {@code channels} call with a pattern of many stars and a letter that matches
 * nothing, while a 255-character channel exists. Matching must be linear: the call answers
 * within about a second and no event loop is pinned.
 */
class ChannelPatternAttackIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension();
    /** "within ~1 s", plus slack for a loaded machine. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    @Test
    void starRunPatternsAgainstALongChannelAnswerPromptly() {
        HostileNode node = NODE.node();
        String longChannel = "a".repeat(255);
        try (WsTestClient holder = WsTestClient.open(node.wsUrl());
                AttackWatch watch = AttackWatch.start(node, "row3-channels-pattern")) {
            holder.connect(TestServers.token("holder"));
            holder.send("{\"id\":2,\"subscribe\":{\"channel\":\"" + longChannel + "\"}}");
            SoftAssertions s = new SoftAssertions();
            s.assertThat(holder.reply(2).has("error"))
                    .as("subscribing to the 255-character channel fails")
                    .isFalse();
            for (String pattern : new String[] {"*".repeat(10) + "b", "*".repeat(20) + "b", "*".repeat(60) + "b"}) {
                RawHttp.Response r = RawHttp.api(node, "channels", "{\"pattern\":\"" + pattern + "\"}", ANSWER_WITHIN);
                AttackWatch.report("ATTACK row3-channels-pattern pattern=" + pattern + " -> " + r);
                s.assertThat(r.status())
                        .as("channels with pattern %s: %s", pattern, r)
                        .isEqualTo(200);
                s.assertThat(r.text())
                        .as("channels with pattern %s lists no channel", pattern)
                        .doesNotContain(longChannel);
                if (r.status() < 0) {
                    break;
                }
            }
            RawHttp.Response all = RawHttp.api(node, "channels", "{\"pattern\":\"a*\"}", ANSWER_WITHIN);
            s.assertThat(all.text())
                    .as("channels with pattern a* lists the long channel: %s", all)
                    .contains(longChannel);
            watch.assertUnaffected(s);
            s.assertAll();
        }
    }
}
