package io.gtcp.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.gtcp.ExchangeObserver;
import io.gtcp.Retry;
import io.gtcp.internal.pool.AddressPool;
import io.gtcp.internal.pool.Listeners;
import io.gtcp.internal.pool.PoolConfig;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a borrow's shortcut relies on: {@link Members#sole} names an endpoint only when every borrow must go to
 * it anyway (the only member, and usable), so that skipping the ejection checks and the balancer changes nothing.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MembersTest {

    @Test
    void theOnlyUsableMemberIsTheSoleOne() {
        Endpoint only = endpoint("127.0.0.1:9000");
        assertThat(new Members(new Endpoint[] {only}).sole).isSameAs(only);
    }

    @Test
    void anEjectedOnlyMemberIsNotSoSoTheBorrowStillLooksAtItsEjection() {
        Endpoint only = endpoint("127.0.0.1:9000");
        only.ejected = true;
        only.ejectedUntil = System.nanoTime();
        Members m = new Members(new Endpoint[] {only});
        assertThat(m.sole).isNull();
        assertThat(m.anyEjected).isTrue();
    }

    @Test
    void aGroupOfSeveralOrNoneHasNoSoleMember() {
        assertThat(new Members(new Endpoint[] {endpoint("127.0.0.1:9000"), endpoint("127.0.0.2:9000")}).sole)
                .isNull();
        Endpoint ejected = endpoint("127.0.0.2:9000");
        ejected.ejected = true;
        assertThat(new Members(new Endpoint[] {endpoint("127.0.0.1:9000"), ejected}).sole)
                .as("one usable of two: the balancer and the restore check still run").isNull();
        assertThat(Members.NONE.sole).isNull();
    }

    private static Endpoint endpoint(String address) {
        PoolConfig config = new PoolConfig("test", address, 0, 0, 1, 0, 0, 0, 0, 0, Retry.NONE, false, 0, null, 0,
                ExchangeObserver.NONE, "set Builder.address");
        AddressPool pool = new AddressPool(address, config, Listeners.NONE, null);
        return new Endpoint(EndpointAddress.literal(address), pool, null);
    }
}
