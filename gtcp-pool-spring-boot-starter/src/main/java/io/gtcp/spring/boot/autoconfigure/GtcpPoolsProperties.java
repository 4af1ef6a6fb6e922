package io.gtcp.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The named pools, {@code gtcp.pools.<name>.*}: described here so that the configuration processor writes their
 * metadata (the IDE completes a named pool's keys from {@link GtcpPoolProperties}). The starter does not bind this
 * class as a bean: {@link GtcpNamedPoolsRegistrar} reads the names and {@link GtcpPoolConnFactories} binds each pool
 * over the default pool's settings, which a plain map binding cannot do.
 */
@ConfigurationProperties("gtcp")
public class GtcpPoolsProperties {

    /**
     * Named pools: one more PoolConnFactory bean per key (bean "<name>PoolConnFactory", @Qualifier("<name>")),
     * with every key of gtcp.pool but name (the key is the pool's name); what a named pool leaves unset comes
     * from gtcp.pool. A name is lower-case letters, digits and '-', starting with a letter; not "default" (the
     * default pool, gtcp.pool) nor "gtcp".
     */
    private Map<String, GtcpPoolProperties> pools = new LinkedHashMap<>();

    public Map<String, GtcpPoolProperties> getPools() {
        return this.pools;
    }

    public void setPools(Map<String, GtcpPoolProperties> pools) {
        this.pools = pools;
    }
}
