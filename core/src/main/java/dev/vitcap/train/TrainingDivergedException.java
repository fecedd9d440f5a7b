package dev.vitcap.train;

/** The loss or the gradient became NaN or infinite; the run stopped without saving the damaged weights. */
public final class TrainingDivergedException extends RuntimeException {
    TrainingDivergedException(String message) {
        super(message);
    }
}
