package org.xenomarket.market.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 18.1's rule, checked on every request body the API takes: every string and every number,
 * at any depth, has a bound that is enforced before the value is parsed further or stored (Bean
 * Validation runs on the parsed body before the resource is called). Strings need {@code @Size(max)}
 * (also what the OpenAPI document shows as maxLength), numbers a maximum and a minimum, lists and
 * maps {@code @Size(max)}. Types that bound themselves are taken as they are: enums, UUIDs, instants,
 * booleans. The whole body is bounded too (request.BodyLimitFilter), which is all that bounds the
 * few free-form JSON values listed in {@link #FREE_FORM} and the node's signed usage records.
 */
class RequestBoundsTest {

    /** Free-form JSON, bounded by the body limit and checked against a schema by the service. */
    private static final Set<String> FREE_FORM = Set.of(
            "CreatePolicyRequest.tables", "CreatePolicyRequest.goldenQuotes");
    /**
     * Bodies whose parts are checked by their own code, not by annotations: usage records are
     * verified against the node's signature and judged record by record (UsageIngestion), their
     * numbers are counters of at most a long, and their strings are decoded with fixed lengths. A
     * signed batch (UsageBatchWire.toBatch) checks its format, at most 10,000 records, and its head and
     * signature at their fixed lengths before its one signature is verified.
     */
    private static final Set<String> OWN_CHECKS = Set.of("UsageRecordWire", "UsageBatchWire");
    private static final Set<Class<?>> SELF_BOUNDED = Set.of(UUID.class, Instant.class, Boolean.class, boolean.class);
    private static final Set<Class<?>> NUMBERS = Set.of(Integer.class, int.class, Long.class, long.class,
            Double.class, double.class, Float.class, float.class, Short.class, short.class,
            java.math.BigDecimal.class, java.math.BigInteger.class);
    private static final List<Class<? extends Annotation>> NOT_A_BODY = List.of(PathParam.class, QueryParam.class,
            HeaderParam.class, CookieParam.class, FormParam.class, MatrixParam.class, BeanParam.class, Context.class);

    @Test
    void everyStringAndNumberOfEveryRequestBodyHasABound() throws Exception {
        Set<String> unbounded = new TreeSet<>();
        Set<Class<?>> bodies = new HashSet<>();
        for (Class<?> resource : resources()) {
            for (Method method : resource.getDeclaredMethods()) {
                if (!isEndpoint(method)) {
                    continue;
                }
                for (Parameter parameter : method.getParameters()) {
                    if (isBody(parameter)) {
                        bodies.add(parameter.getType());
                        walk(parameter.getType().getSimpleName(), parameter.getAnnotatedType(), unbounded, new HashSet<>());
                    }
                }
            }
        }
        assertTrue(bodies.size() >= 15, "found the request bodies: " + bodies);
        assertEquals(Set.of(), unbounded, "request fields without a bound");
    }

    private static List<Class<?>> resources() throws ClassNotFoundException {
        List<Class<?>> found = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.xenomarket.market")) {
            if (type.isAnnotatedWith(Path.class)) {
                found.add(Class.forName(type.getName()));
            }
        }
        return found;
    }

    /** A method JAX-RS calls for requests: one annotated @GET, @POST, @PUT, ... (each meta-annotated @HttpMethod). */
    private static boolean isEndpoint(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBody(Parameter parameter) {
        for (Class<? extends Annotation> marker : NOT_A_BODY) {
            if (parameter.isAnnotationPresent(marker)) {
                return false;
            }
        }
        Class<?> type = parameter.getType();
        return type.isRecord() || List.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }

    /** Checks one value of the body, named by its path, and what it holds. */
    private static void walk(String path, AnnotatedType annotated, Set<String> unbounded, Set<Class<?>> seen) {
        Class<?> type = rawOf(annotated);
        if (type.isEnum() || SELF_BOUNDED.contains(type) || OWN_CHECKS.contains(type.getSimpleName())
                || FREE_FORM.contains(path) || JsonNode.class.isAssignableFrom(type)
                        && FREE_FORM.contains(path)) {
            return;
        }
        if (type == String.class) {
            Size size = annotated.getAnnotation(Size.class);
            if (size == null || size.max() == Integer.MAX_VALUE) {
                unbounded.add(path + " (a string without @Size(max))");
            }
        } else if (NUMBERS.contains(type)) {
            if (!hasMax(annotated) || !hasMin(annotated)) {
                unbounded.add(path + " (a number without both a least and a greatest value)");
            }
        } else if (List.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
            Size size = annotated.getAnnotation(Size.class);
            if (size == null || size.max() == Integer.MAX_VALUE) {
                unbounded.add(path + " (a collection without @Size(max))");
            }
            if (annotated instanceof AnnotatedParameterizedType generic) {
                AnnotatedType[] arguments = generic.getAnnotatedActualTypeArguments();
                walk(path + "[]", arguments[arguments.length - 1], unbounded, seen);
            }
        } else if (type.isRecord()) {
            if (!seen.add(type)) {
                return;
            }
            for (RecordComponent component : type.getRecordComponents()) {
                walk(path + "." + component.getName(), component.getAnnotatedType(), unbounded, seen);
            }
            seen.remove(type);
        } else {
            unbounded.add(path + " (a " + type.getSimpleName() + ", which this test does not know how to bound)");
        }
    }

    private static Class<?> rawOf(AnnotatedType annotated) {
        java.lang.reflect.Type type = annotated.getType();
        if (type instanceof java.lang.reflect.ParameterizedType generic) {
            return (Class<?>) generic.getRawType();
        }
        return (Class<?>) type;
    }

    private static boolean hasMax(AnnotatedType annotated) {
        return annotated.isAnnotationPresent(Max.class) || annotated.isAnnotationPresent(DecimalMax.class)
                || annotated.isAnnotationPresent(Negative.class) || annotated.isAnnotationPresent(NegativeOrZero.class);
    }

    private static boolean hasMin(AnnotatedType annotated) {
        return annotated.isAnnotationPresent(Min.class) || annotated.isAnnotationPresent(DecimalMin.class)
                || annotated.isAnnotationPresent(Positive.class) || annotated.isAnnotationPresent(PositiveOrZero.class);
    }
}
