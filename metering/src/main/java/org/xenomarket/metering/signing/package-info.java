/** Node Ed25519 keys, record signing and verification. */
package org.xenomarket.metering.signing;
