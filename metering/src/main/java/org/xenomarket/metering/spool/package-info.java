/** The node's durable, bounded queue of signed records awaiting upload. */
package org.xenomarket.metering.spool;
