package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link PoolConnFactory} bean per key of {@code gtcp.pools}: named {@code <name>PoolConnFactory},
 * qualified {@code @Qualifier("<name>")}, created by {@link GtcpPoolConnFactories#create(String)} and closed with
 * the context; and makes the default pool's bean {@code @Primary} when there are named ones, so that injection by
 * type keeps meaning "the default pool".
 *
 * <p>Why a registrar: the number of beans depends on the configuration, which {@code @Bean} methods cannot
 * express. The definitions it registers name a factory bean, a factory method and a constant argument (no
 * instance supplier), so Spring AOT turns them into generated code: with AOT the set of named pools is fixed at
 * build time, while their settings are still bound at run time. It runs after the {@code @Bean} methods of
 * {@link GtcpPoolAutoConfiguration} were registered (Spring registers an import's registrars last), and leaves
 * alone a bean of the same name that the application defined itself. A named pool called {@code default} stops
 * the start (see {@link #names(Environment)}).
 */
class GtcpNamedPoolsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    private static final String DEFAULT_POOL_BEAN = "gtcpPoolConnFactory";

    /** The default pool's name, which no named pool may take. */
    private static final String DEFAULT_POOL_NAME = "default";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Set<String> names = names(this.environment);
        for (String name : names) {
            String beanName = beanName(name);
            if (!registry.containsBeanDefinition(beanName)) {
                registry.registerBeanDefinition(beanName, definition(name));
            }
        }
        if (!names.isEmpty() && registry.containsBeanDefinition(DEFAULT_POOL_BEAN)) {
            registry.getBeanDefinition(DEFAULT_POOL_BEAN).setPrimary(true);
        }
    }

    /**
     * The keys of {@code gtcp.pools}. A key {@code default} is refused: it would make a second pool named and
     * tagged like the default pool (unless {@code gtcp.pool.name} is set), a pool that is configured under
     * {@code gtcp.pool.*}. The keys need no conversion, so the environment's plain binder reads them.
     */
    static Set<String> names(Environment environment) {
        Map<String, Object> pools = Binder.get(environment)
            .bind(GtcpPoolConnFactories.NAMED_PREFIX, Bindable.mapOf(String.class, Object.class))
            .orElse(Map.of());
        if (pools.containsKey(DEFAULT_POOL_NAME)) {
            throw new InvalidGtcpPoolPropertyException(GtcpPoolConnFactories.NAMED_PREFIX + "." + DEFAULT_POOL_NAME,
                    pools.get(DEFAULT_POOL_NAME), "a named pool must not be called " + DEFAULT_POOL_NAME
                            + ", the name that stands for the default pool: set the default pool's properties under "
                            + GtcpPoolConnFactories.DEFAULT_PREFIX + ".* (or give this pool another name)",
                    null);
        }
        return pools.keySet();
    }

    /** The bean names of the named pools: {@code <name>PoolConnFactory}. */
    static Set<String> beanNames(Environment environment) {
        return names(environment).stream().map(GtcpNamedPoolsRegistrar::beanName).collect(Collectors.toSet());
    }

    private static String beanName(String name) {
        return name + "PoolConnFactory";
    }

    private static RootBeanDefinition definition(String name) {
        RootBeanDefinition definition = new RootBeanDefinition();
        definition.setTargetType(PoolConnFactory.class);
        definition.setFactoryBeanName("gtcpPoolConnFactories");
        definition.setUniqueFactoryMethodName("create");
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
        definition.setDestroyMethodName("close");
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
        return definition;
    }
}
