package org.xenomarket.metering.spool;

/**
 * Told when the spool starts refusing records for lack of room, and when it takes them again,
 * so the agent can raise an operator alert (health check, metric) on top of the log line.
 */
public interface SpoolAlarm {

    /** Does nothing beyond the spool's own log lines. */
    SpoolAlarm NONE = new SpoolAlarm() {
        @Override
        public void full(long usedBytes, long limitBytes) {
        }

        @Override
        public void cleared(long usedBytes, long limitBytes) {
        }
    };

    /** The spool refused its first record since it last had room. */
    void full(long usedBytes, long limitBytes);

    /** The spool accepted a record again after having been full. */
    void cleared(long usedBytes, long limitBytes);
}
