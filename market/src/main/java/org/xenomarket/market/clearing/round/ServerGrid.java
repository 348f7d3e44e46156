package org.xenomarket.market.clearing.round;

import java.util.List;

/**
 * A spatial index of a round's servers: one-degree cells of latitude and longitude, each listing
 * its servers, and each server's position as a unit vector, so "within k km" is a dot product
 * against a precomputed threshold instead of a haversine per pair. A {@link Cursor} walks the
 * servers of the cells a placement circle may touch, without allocating per bid.
 */
final class ServerGrid {

    /** The sphere of the database's {@code km_between}, so both agree on who is within reach. */
    static final double EARTH_RADIUS_KM = 6371.0;
    private static final double KM_PER_DEGREE = Math.PI * EARTH_RADIUS_KM / 180;
    private static final int ROWS = 180;
    private static final int COLUMNS = 360;
    /** Float slack when choosing cells; the dot product decides exactly who is within reach. */
    private static final double MARGIN_DEGREES = 0.01;

    private final double[] x;
    private final double[] y;
    private final double[] z;
    private final int[] cellStart = new int[ROWS * COLUMNS + 1];
    private final int[] members;
    /**
     * Per cell, the first column at or after it in its row whose cell has servers ({@link #COLUMNS} if none):
     * servers crowd into few cells, so a walk jumps over the empty ones instead of visiting each.
     */
    private final short[] nextOccupied = new short[ROWS * COLUMNS];

    ServerGrid(List<RoundServer> servers) {
        int n = servers.size();
        x = new double[n];
        y = new double[n];
        z = new double[n];
        int[] cellOf = new int[n];
        for (int i = 0; i < n; i++) {
            RoundServer s = servers.get(i);
            double lat = Math.toRadians(s.latitude());
            double lon = Math.toRadians(s.longitude());
            x[i] = Math.cos(lat) * Math.cos(lon);
            y[i] = Math.cos(lat) * Math.sin(lon);
            z[i] = Math.sin(lat);
            cellOf[i] = row(s.latitude()) * COLUMNS + column(s.longitude());
            cellStart[cellOf[i] + 1]++;
        }
        for (int c = 0; c < ROWS * COLUMNS; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        members = new int[n];
        int[] fill = new int[ROWS * COLUMNS];
        for (int i = 0; i < n; i++) {
            members[cellStart[cellOf[i]] + fill[cellOf[i]]++] = i;
        }
        for (int r = 0; r < ROWS; r++) {
            int next = COLUMNS;
            for (int c = COLUMNS - 1; c >= 0; c--) {
                int cell = r * COLUMNS + c;
                if (cellStart[cell + 1] > cellStart[cell]) {
                    next = c;
                }
                nextOccupied[cell] = (short) next;
            }
        }
    }

    /** A reusable walk over the servers near one point at a time. */
    final class Cursor {
        private double bx;
        private double by;
        private double bz;
        private double minDot;
        private int row;
        private int lastRow;
        private int firstColumn;
        private int columnCount;
        private int columnStep;
        private int position;
        private int end;
        private double dot;

        /** Starts a walk over the servers within {@code km} of the point. */
        void start(double latitude, double longitude, double km) {
            double lat = Math.toRadians(latitude);
            double lon = Math.toRadians(longitude);
            bx = Math.cos(lat) * Math.cos(lon);
            by = Math.cos(lat) * Math.sin(lon);
            bz = Math.sin(lat);
            double angle = km / EARTH_RADIUS_KM;
            minDot = angle >= Math.PI ? -2 : Math.cos(angle);
            double span = km / KM_PER_DEGREE + MARGIN_DEGREES;
            row = row(Math.max(-90, latitude - span));
            lastRow = row(Math.min(90, latitude + span));
            double widestLatitude = Math.min(90, Math.max(Math.abs(latitude - span), Math.abs(latitude + span)));
            double lonSpan = widestLatitude >= 89.5 ? 360 : span / Math.cos(Math.toRadians(widestLatitude));
            if (lonSpan >= 180) {
                firstColumn = 0;
                columnCount = COLUMNS;
            } else {
                firstColumn = column(longitude - lonSpan);
                columnCount = Math.min(COLUMNS, (int) Math.floor(longitude + lonSpan) - (int) Math.floor(longitude - lonSpan) + 1);
            }
            // one row before the first, at its end: next() moves on to the first cell
            row--;
            columnStep = columnCount;
            position = 0;
            end = 0;
        }

        /** The next server within reach (by index in the round's list), or -1 when there are no more. */
        int next() {
            while (true) {
                while (position < end) {
                    int s = members[position++];
                    double d = x[s] * bx + y[s] * by + z[s] * bz;
                    if (d >= minDot) {
                        dot = d;
                        return s;
                    }
                }
                if (columnStep >= columnCount) {
                    if (row == lastRow) {
                        return -1;
                    }
                    row++;
                    columnStep = 0;
                }
                int column = firstColumn + columnStep;
                if (column >= COLUMNS) {
                    column -= COLUMNS;
                }
                int occupied = nextOccupied[row * COLUMNS + column];
                if (occupied == COLUMNS) {
                    columnStep += COLUMNS - column; // nothing to the row's end: on at column 0, if the walk wraps
                    continue;
                }
                columnStep += occupied - column;
                if (columnStep >= columnCount) {
                    continue; // the next cell with servers lies beyond the walk's columns
                }
                columnStep++;
                int cell = row * COLUMNS + occupied;
                position = cellStart[cell];
                end = cellStart[cell + 1];
            }
        }

        /** Closeness of the last server returned: the cosine of its angle to the point; larger is nearer. */
        double closeness() {
            return dot;
        }
    }

    /**
     * The servers reordered cell by cell, so that a round indexing its per-server arrays in this order
     * reads each cell's servers from adjacent memory as a scan walks the grid.
     */
    static List<RoundServer> inCellOrder(List<RoundServer> servers) {
        Integer[] order = new Integer[servers.size()];
        int[] cell = new int[servers.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            cell[i] = row(servers.get(i).latitude()) * COLUMNS + column(servers.get(i).longitude());
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> cell[i]));
        List<RoundServer> sorted = new java.util.ArrayList<>(order.length);
        for (Integer i : order) {
            sorted.add(servers.get(i));
        }
        return sorted;
    }

    Cursor cursor() {
        return new Cursor();
    }

    /**
     * A point and distance as {@link #reaches} takes them: the point's unit vector and the least dot
     * product within {@code km}, computed as a {@link Cursor} computes them, so both agree on who is in reach.
     */
    static double[] reach(double latitude, double longitude, double km) {
        double lat = Math.toRadians(latitude);
        double lon = Math.toRadians(longitude);
        double angle = km / EARTH_RADIUS_KM;
        return new double[] {Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat),
            angle >= Math.PI ? -2 : Math.cos(angle)};
    }

    /** Whether server {@code s} is within the reach {@link #reach} gave: the test a cursor applies to each server. */
    boolean reaches(int s, double[] reach) {
        return x[s] * reach[0] + y[s] * reach[1] + z[s] * reach[2] >= reach[3];
    }

    private static int row(double latitude) {
        return Math.min(ROWS - 1, Math.max(0, (int) Math.floor(latitude + 90)));
    }

    private static int column(double longitude) {
        double wrapped = ((longitude + 180) % 360 + 360) % 360;
        return Math.min(COLUMNS - 1, (int) Math.floor(wrapped));
    }
}
