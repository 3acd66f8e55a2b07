package io.domainlink.wix;

/** One {@code details.validationError.fieldViolations[]} entry of a Wix error body. */
public record FieldViolation(String field, String description, String violatedRule, String ruleName) {}
