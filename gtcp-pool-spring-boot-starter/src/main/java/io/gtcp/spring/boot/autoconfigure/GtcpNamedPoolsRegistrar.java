package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

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
 * alone a bean of the same name that the application defined itself if it is a {@code PoolConnFactory}. A name
 * that could collide stops the start (see {@link GtcpPoolNames}), and so does a key under the starter's prefixes that
 * no properties class has (see {@link GtcpPropertyKeys}).
 */
class GtcpNamedPoolsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    private static final String DEFAULT_POOL_BEAN = "gtcpPoolConnFactory";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        GtcpPropertyKeys.check(this.environment, ClassUtils.getDefaultClassLoader());
        Set<String> names = names(this.environment);
        for (String name : names) {
            String beanName = GtcpPoolNames.beanName(name);
            if (!registry.containsBeanDefinition(beanName)) {
                registry.registerBeanDefinition(beanName, definition(name));
            }
            else {
                refuseAnotherType(registry, name, beanName);
            }
        }
        if (!names.isEmpty() && registry.containsBeanDefinition(DEFAULT_POOL_BEAN)) {
            registry.getBeanDefinition(DEFAULT_POOL_BEAN).setPrimary(true);
        }
    }

    /**
     * The names of {@code gtcp.pools}, each one a name that cannot collide (see {@link GtcpPoolNames}): a name
     * that breaks a rule stops the start.
     */
    static Set<String> names(Environment environment) {
        return GtcpPoolNames.of(environment);
    }

    /** The bean names of the named pools: {@code <name>PoolConnFactory}. */
    static Set<String> beanNames(Environment environment) {
        return names(environment).stream().map(GtcpPoolNames::beanName).collect(Collectors.toSet());
    }

    /**
     * An application bean of a named pool's bean name replaces the pool if it is a {@link PoolConnFactory}, as
     * {@code @ConditionalOnMissingBean} would; of another type, it would silently take the pool's place, so the start
     * stops.
     */
    private static void refuseAnotherType(BeanDefinitionRegistry registry, String name, String beanName) {
        if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
            return;
        }
        Class<?> type = beanFactory.getType(beanName, false);
        if (type != null && !PoolConnFactory.class.isAssignableFrom(type)) {
            throw new InvalidGtcpPoolPropertyException(GtcpPoolConnFactories.NAMED_PREFIX + "." + name, name,
                    "the pool's bean name, " + beanName + ", is taken by a bean of type " + type.getName()
                            + ": give the pool another name (a PoolConnFactory bean of that name would replace it)",
                    null);
        }
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
