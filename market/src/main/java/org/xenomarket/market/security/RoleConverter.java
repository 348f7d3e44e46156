package org.xenomarket.market.security;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores roles by their lower-case label, as the schema and the API spell them. */
@Converter(autoApply = true)
public class RoleConverter implements AttributeConverter<Role, String> {

    @Override
    public String convertToDatabaseColumn(Role role) {
        return role == null ? null : role.label();
    }

    @Override
    public Role convertToEntityAttribute(String label) {
        return label == null ? null : Role.ofLabel(label);
    }
}
