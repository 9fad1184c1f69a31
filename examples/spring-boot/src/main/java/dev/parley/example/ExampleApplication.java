package dev.parley.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An ordinary Spring Boot application (a login, a PostgreSQL database, Actuator) that adds a chat assistant by
 * depending on {@code parley-spring-boot-starter}. Run it with a PostgreSQL database:
 *
 * <pre>{@code
 * SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/app SPRING_DATASOURCE_USERNAME=app SPRING_DATASOURCE_PASSWORD=… \
 *   ../../mvnw spring-boot:run        # then sign in at http://localhost:8080 as alice / alice-password
 * }</pre>
 */
@SpringBootApplication
public class ExampleApplication {
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
