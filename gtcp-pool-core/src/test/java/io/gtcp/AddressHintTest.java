package io.gtcp;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

/** get() on a factory without an address says how to give it one, in the words of whoever built it. */
class AddressHintTest {

    @Test
    void byDefaultTheBuilderMethodIsNamed() {
        try (PoolConnFactory factory = PoolConnFactory.builder().build()) {
            assertThatExceptionOfType(IllegalStateException.class).isThrownBy(factory::get)
                    .withMessage("no address configured: set Builder.address or call get(address)");
        }
    }

    @Test
    void aConfigurationLayerNamesItsOwnKey() {
        try (PoolConnFactory factory = PoolConnFactory.builder().addressHint("set gtcp.pool.address").build()) {
            assertThatExceptionOfType(IllegalStateException.class).isThrownBy(factory::get)
                    .withMessage("no address configured: set gtcp.pool.address or call get(address)");
        }
    }

    @Test
    void aBlankHintIsRejected() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> PoolConnFactory.builder().addressHint(" "));
    }
}
