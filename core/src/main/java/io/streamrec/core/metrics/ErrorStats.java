package io.streamrec.core.metrics;

/** Running RMSE and MAE over prediction errors; a plain accumulator, not thread-safe. */
public final class ErrorStats {
    private double sumSquares;
    private double sumAbs;
    private long count;

    public void add(double predicted, double actual) {
        double e = predicted - actual;
        sumSquares += e * e;
        sumAbs += Math.abs(e);
        count++;
    }

    public long count() {
        return count;
    }

    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sumSquares / count);
    }

    public double mae() {
        return count == 0 ? Double.NaN : sumAbs / count;
    }
}
