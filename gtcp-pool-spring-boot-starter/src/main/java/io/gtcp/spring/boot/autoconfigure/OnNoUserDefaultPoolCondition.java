package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The default pool's {@code @ConditionalOnMissingBean}, except that a user bean named after a named pool
 * ({@code <name>PoolConnFactory}) does not count: such a bean replaces that named pool only. A plain
 * {@code @ConditionalOnMissingBean} would let it silently remove the default pool too, and injection by type would
 * then find several factories and no {@code @Primary} one.
 */
class OnNoUserDefaultPoolCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Set<String> namedPoolBeans = GtcpNamedPoolsRegistrar.beanNames(context.getEnvironment());
        List<String> userDefaults = Arrays
            .stream(BeanFactoryUtils.beanNamesForTypeIncludingAncestors(context.getBeanFactory(),
                    PoolConnFactory.class, true, false))
            .filter((name) -> !namedPoolBeans.contains(name))
            .toList();
        return userDefaults.isEmpty() ? ConditionOutcome.match("no PoolConnFactory bean besides named pools")
                : ConditionOutcome.noMatch("the application defines PoolConnFactory beans " + userDefaults);
    }
}
