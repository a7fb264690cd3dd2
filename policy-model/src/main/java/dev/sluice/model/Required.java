package dev.sluice.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field that a valid document always has. The validator reports its absence as "is
 * required"; the CRD's schema lists it under {@code required}, so the Kubernetes API server refuses
 * its absence too. {@code RequiredFieldsTest} checks that the two agree.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {}
