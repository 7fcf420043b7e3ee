package com.su7.orders.eta;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The arithmetic of an estimate, free of I/O. A preorder at {@code position} among the unbuilt preorders of its
 * variant (1 = next) is built after {@code position / rate} factory days; the estimate spans that at the rate
 * plus the band (earliest, rounded down) to the rate minus the band (latest, rounded up), plus transit.
 * The set-based refresh in {@link EtaRefresher} computes exactly the same in SQL.
 */
public final class EtaEstimator {

    private final double band;
    private final int horizonDays;
    private final int rateWindowDays;
    private final double minimumDailyRate;

    public EtaEstimator(double band, int horizonDays, int rateWindowDays, double minimumDailyRate) {
        this.band = band;
        this.horizonDays = horizonDays;
        this.rateWindowDays = rateWindowDays;
        this.minimumDailyRate = minimumDailyRate;
    }

    public Eta estimate(long position, double unitsPerDay, LocalDate today, int transitDays) {
        if (position < 1) {
            throw new IllegalArgumentException("a place in the queue starts at 1, not " + position);
        }
        if (!(unitsPerDay > 0)) {
            throw new IllegalArgumentException("a build rate must be above zero, not " + unitsPerDay);
        }
        long earliest = Math.min(horizonDays, (long) Math.floor(position / fastest(unitsPerDay)));
        long latest = Math.min(horizonDays, (long) Math.ceil(position / slowest(unitsPerDay)));
        return new Eta(today.plusDays(earliest + transitDays), today.plusDays(latest + transitDays));
    }

    public double fastest(double unitsPerDay) {
        return unitsPerDay * (1 + band);
    }

    public double slowest(double unitsPerDay) {
        return unitsPerDay * (1 - band);
    }

    public int horizonDays() {
        return horizonDays;
    }

    /** Where the rate window starts: {@code rateWindowDays} factory days before now. */
    public Instant windowStart(Instant now, Duration dayLength) {
        return now.minus(dayLength.multipliedBy(rateWindowDays));
    }

    /**
     * Units per factory day: the units built in the window divided by the days of it that were observed (from the
     * first build on). Until a full factory day of builds has been observed, the assumed rate.
     */
    public double unitsPerDay(BuildHistory history, Instant now, Duration dayLength, double assumedDailyRate) {
        if (history.firstBuiltAt() == null) {
            return assumedDailyRate;
        }
        Duration window = dayLength.multipliedBy(rateWindowDays);
        Duration sinceFirst = Duration.between(history.firstBuiltAt(), now);
        Duration observed = sinceFirst.compareTo(window) < 0 ? sinceFirst : window;
        if (observed.compareTo(dayLength) < 0) {
            return assumedDailyRate;
        }
        double days = (double) observed.toNanos() / dayLength.toNanos();
        return Math.max(minimumDailyRate, history.unitsInWindow() / days);
    }
}
