package dev.vitcap.settings;

/**
 * The values a numeric setting may take: an interval of finite numbers, each end included or not
 * ({@code NaN} and the infinities are never in a range). A setting declares its range once, as a
 * constant beside it, and both the API ({@link #check}) and the command line check values against it,
 * so the two cannot drift apart and their messages say the same: {@code "top-p must be in (0, 1], not 2"}.
 */
public final class Range {
    private final double min, max;
    private final boolean minIncluded, maxIncluded;

    private Range(double min, boolean minIncluded, double max, boolean maxIncluded) {
        this.min = min;
        this.minIncluded = minIncluded;
        this.max = max;
        this.maxIncluded = maxIncluded;
    }

    /** {@code [min, ∞)}. */
    public static Range atLeast(double min) {
        return new Range(min, true, Double.POSITIVE_INFINITY, false);
    }

    /** {@code (min, ∞)}. */
    public static Range above(double min) {
        return new Range(min, false, Double.POSITIVE_INFINITY, false);
    }

    /** {@code [min, max]}. */
    public static Range between(double min, double max) {
        return new Range(min, true, max, true);
    }

    /** {@code [min, max)}. */
    public static Range fromUpTo(double min, double max) {
        return new Range(min, true, max, false);
    }

    /** {@code (min, max]}. */
    public static Range aboveUpTo(double min, double max) {
        return new Range(min, false, max, true);
    }

    /** Every finite number. */
    public static Range finite() {
        return new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
    }

    public boolean contains(double value) {
        return Double.isFinite(value) && (minIncluded ? value >= min : value > min) && (maxIncluded ? value <= max : value < max);
    }

    /**
     * {@code value}, if it is in this range; else {@link IllegalArgumentException} saying
     * {@code "NAME must be RANGE, not VALUE"}.
     */
    public <N extends Number> N check(String name, N value) {
        if (!contains(value.doubleValue())) throw new IllegalArgumentException(name + " " + refusal(value));
        return value;
    }

    /** {@code "must be RANGE, not VALUE"}: why {@code value} is refused, to follow the setting's name. */
    public String refusal(Object value) {
        return "must be " + this + ", not " + value;
    }

    /** The range in words: "at least 1", "above 0", "between 1 and 32", "in [0, 1)", "a finite number". */
    @Override
    public String toString() {
        boolean bounded = max != Double.POSITIVE_INFINITY;
        if (min == Double.NEGATIVE_INFINITY && !bounded) return "a finite number";
        if (!bounded) return (minIncluded ? "at least " : "above ") + number(min);
        if (minIncluded && maxIncluded) return "between " + number(min) + " and " + number(max);
        return "in " + (minIncluded ? "[" : "(") + number(min) + ", " + number(max) + (maxIncluded ? "]" : ")");
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
