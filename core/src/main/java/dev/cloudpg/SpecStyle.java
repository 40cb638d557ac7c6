package dev.cloudpg;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The Immutables style of every cloudpg value: the generated implementation stays package-private and is never seen
 * by users, who work with {@code X.builder()}, {@code from(..)} and the abstract type only. Source retention keeps the
 * annotation processor off users' class paths.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.SOURCE)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    jdkOnly = true,
    get = {"is*", "get*"},
    init = "*",
    defaultAsDefault = true,
    allowedClasspathAnnotations = {Override.class})
@interface SpecStyle {}
