package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.ChannelRules;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {

    /** Every option set away from its default, so a field {@code toBuilder} forgets shows. */
    private static NodeOptions everyOptionChanged() {
        return NodeOptions.builder()
                .name("n1")
                .id("id-1")
                .version("9.9")
                .channelRules(ChannelRules.builder().maxChannelLength(77).build())
                .allowAnonymous(true)
                .pingInterval(Duration.ofSeconds(31))
                .pongTimeout(Duration.ofSeconds(3))
                .clientQueueMaxBytes(1 << 21)
                .clientChannelLimit(12)
                .userConnectionLimit(5)
                .connectTimeout(Duration.ofSeconds(7))
                .commandRateLimit(77)
                .commandBurst(99)
                .maxPendingCommands(13)
                .expiredCheckInterval(Duration.ofSeconds(2))
                .clientExpiredCloseDelay(Duration.ofSeconds(4))
                .presenceUpdateInterval(Duration.ofSeconds(11))
                .presenceTtl(Duration.ofSeconds(44))
                .serverSideChannels(List.of("a"))
                .heartbeatInterval(Duration.ofMillis(700))
                .maxPendingInvocations(17)
                .maxPublicationSize(1000)
                .historyMaxPublicationLimit(33)
                .build();
    }

    @Test
    void toBuilderCarriesEveryOption() throws Exception {
        NodeOptions original = everyOptionChanged();
        Map<String, Object> defaults = values(NodeOptions.builder().build());
        Map<String, Object> set = values(original);
        defaults.remove("id");
        defaults.forEach((name, value) -> {
            if (!name.equals("channelRules")) {
                assertThat(set.get(name))
                        .as("the test changes %s from its default", name)
                        .isNotEqualTo(value);
            }
        });
        assertThat(values(original.toBuilder().build())).isEqualTo(set);
    }

    @Test
    void aCopyMayTakeANewId() {
        NodeOptions original = everyOptionChanged();
        NodeOptions copy = original.toBuilder().id("id-2").build();
        assertThat(copy.id()).isEqualTo("id-2");
        assertThat(copy.name()).isEqualTo("n1");
        assertThat(original.id()).isEqualTo("id-1");
    }

    /** Every getter's value, by name. */
    private static Map<String, Object> values(NodeOptions o) throws Exception {
        Map<String, Object> out = new TreeMap<>();
        for (Method m : NodeOptions.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())
                    && !Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0
                    && m.getReturnType() != void.class
                    && !m.getName().equals("toBuilder")
                    && !m.getName().equals("toString")
                    && !m.getName().equals("hashCode")) {
                out.put(m.getName(), m.invoke(o));
            }
        }
        return out;
    }
}
