package org.xenomarket.market.security;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a token may do. A token has exactly one role and acts for exactly one account. */
public enum Role {
    SPONSOR("sponsor"),
    PROVIDER("provider"),
    FINANCE("finance"),
    OPERATOR("operator"),
    NODE("node"),
    /** A device of a sponsor's that may only move the follow point of the one lease its token names. */
    DEVICE("device");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** The role stored under this label. */
    public static Role ofLabel(String label) {
        for (Role role : values()) {
            if (role.label.equals(label)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role " + label);
    }
}
