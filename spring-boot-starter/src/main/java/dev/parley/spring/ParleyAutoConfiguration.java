package dev.parley.spring;

import dev.parley.embed.Parley;
import dev.parley.model.ModelProvider;
import dev.parley.model.echo.EchoProvider;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.model.openai.CompatibleProvider;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.server.Responder;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Parley in a Spring Boot application. Each bean backs off when the application defines its own of that type:
 * {@link Parley} (the whole assembly), {@link ModelProvider}, {@link ParleyUsers} (who a request acts for),
 * {@link ParleyMetrics}; a {@link Responder} bean replaces the workflow engine. Runs after the {@code DataSource}
 * auto-configuration, so that Parley finds the application's database.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@EnableConfigurationProperties(ParleyProperties.class)
public class ParleyAutoConfiguration {

    /**
     * The model the workflows run on, as {@code parley.model.*} names it; none when the application answers with its
     * own {@link Responder}, so that no embedding model is loaded for nothing.
     */
    @Bean
    @ConditionalOnMissingBean({ModelProvider.class, Responder.class})
    public ModelProvider parleyModelProvider(ParleyProperties properties) {
        ParleyProperties.Model model = properties.model();
        return switch (model.provider()) {
            case EMBEDDED -> EmbeddedProvider.open(KnowledgeBases.open(model.knowledgeDir(), model.cacheDir()));
            case OPENAI -> new OpenAiProvider(settings(model, "gpt-5-nano"));
            case OPENAI_COMPATIBLE -> new CompatibleProvider(settings(model, null));
            case ECHO -> new EchoProvider(Duration.ZERO);
        };
    }

    private static OpenAiSettings settings(ParleyProperties.Model model, String fallback) {
        return new OpenAiSettings(model.apiKey(), model.baseUrl(), model.name() != null ? model.name() : fallback,
                OpenAiSettings.DEFAULT_TIMEOUT, OpenAiSettings.DEFAULT_MAX_RETRIES);
    }

    /**
     * Parley on the application's PostgreSQL {@code DataSource} (its own schema) or a SQLite file, answering with
     * the application's {@link Responder} bean if it has one, else with the workflow engine.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Parley parley(ParleyProperties properties, ObjectProvider<DataSource> dataSource,
            ObjectProvider<ModelProvider> model, ObjectProvider<Responder> responder) {
        var builder = Parley.builder().workflowId(properties.workflowId()).workflowsDir(properties.workflowsDir());
        ParleyProperties.Store store = properties.store();
        DataSource ds = dataSource.getIfUnique();
        switch (store.type()) {
            case POSTGRES -> {
                if (ds == null) {
                    throw new IllegalStateException("parley.store.type is postgres, but the application has no "
                            + "(single) DataSource: set spring.datasource.url, or parley.store.type=sqlite");
                }
                builder.postgres(requirePostgres(ds), store.schema());
            }
            case SQLITE -> builder.sqlite(store.sqliteFile());
            case AUTO -> {
                if (ds != null) builder.postgres(requirePostgres(ds), store.schema());
                else builder.sqlite(store.sqliteFile());
            }
        }
        Responder own = responder.getIfUnique();
        if (own != null) builder.responder(own);
        else builder.model(model.getObject());
        ParleyProperties.Model settings = properties.model();
        if (settings.knowledgeDir() != null) builder.knowledge(settings.knowledgeDir(), settings.cacheDir());
        return builder.build();
    }

    private static DataSource requirePostgres(DataSource ds) {
        String product;
        try (Connection c = ds.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("Parley cannot reach the application's DataSource: " + e.getMessage(), e);
        }
        if (!"PostgreSQL".equalsIgnoreCase(product)) {
            throw new IllegalStateException("Parley keeps conversations in PostgreSQL, but the application's DataSource "
                    + "is " + product + ": point spring.datasource.url at PostgreSQL, or set parley.store.type=sqlite "
                    + "(and parley.store.sqlite-file)");
        }
        return ds;
    }

    /** The logged-in principal, or a visitor cookie, as {@code parley.users} says. */
    @Bean
    @ConditionalOnMissingBean
    public ParleyUsers parleyUsers(ParleyProperties properties) {
        return new PrincipalOrVisitor(properties.users(), properties.path());
    }

    /** Parley's metrics in the application's Micrometer registry, or nowhere without one. */
    @Bean
    @ConditionalOnMissingBean
    public ParleyMetrics parleyMetrics(ObjectProvider<MeterRegistryHolder> holder) {
        MeterRegistryHolder h = holder.getIfAvailable();
        return h == null ? ParleyMetrics.NONE : h.metrics();
    }

    /** The endpoint, on a servlet web application. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    public ChatKitController parleyChatKitController(Parley parley, ParleyUsers users, ParleyMetrics metrics,
            ParleyProperties properties) {
        return new ChatKitController(parley, users, metrics, properties);
    }

    /** The widget's script at {@code <path>/widget.js}, unless {@code parley.widget.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnProperty(name = "parley.widget.enabled", havingValue = "true", matchIfMissing = true)
    public WidgetController parleyWidgetController() {
        return new WidgetController();
    }

    /** Only with Micrometer on the classpath: keeps its types out of the outer class's bean methods. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Micrometer {
        @Bean
        MeterRegistryHolder parleyMeterRegistryHolder(ObjectProvider<MeterRegistry> registry) {
            return new MeterRegistryHolder(registry);
        }
    }

    /** Finds the registry when the metrics are made, after every auto-configuration has defined its beans. */
    record MeterRegistryHolder(ObjectProvider<MeterRegistry> registry) {
        ParleyMetrics metrics() {
            MeterRegistry r = registry.getIfAvailable();
            return r == null ? ParleyMetrics.NONE : new MicrometerMetrics(r);
        }
    }

    /** Only with Actuator's health support on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "parleyHealthIndicator")
        HealthIndicator parleyHealthIndicator(Parley parley, ParleyProperties properties) {
            return new ParleyHealthIndicator(parley, properties.workflowId());
        }
    }
}
