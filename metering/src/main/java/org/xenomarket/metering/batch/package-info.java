/** Signed batches: a hash chain over a node's records and one Ed25519 signature per batch over its head. */
package org.xenomarket.metering.batch;
