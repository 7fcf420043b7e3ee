package com.su7.delivery.outlook;

/** Units built per factory day, as observed in UnitBuilt ({@link Outlook#buildRate()}); 0 until a unit is built. */
record BuildRate(double unitsPerDay) {

    boolean known() {
        return unitsPerDay > 0;
    }
}
