package org.xenomarket.market;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.security.TokenSecret;

/**
 * Creates accounts with API tokens straight in the database, as an operator would; there is no
 * sign-up API yet. Names are unique per call so tests never see each other's objects.
 */
@ApplicationScoped
public class TestAccounts {

    /** An account and the bearer token that acts for it. */
    public record Member(UUID accountId, String name, String token) {

        public String bearer() {
            return "Bearer " + token;
        }
    }

    private final AgroalDataSource dataSource;

    public TestAccounts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Member sponsor(String name) {
        return create(name, "SPONSOR", "sponsor");
    }

    public Member provider(String name) {
        return create(name, "PROVIDER", "provider");
    }

    public Member operator(String name) {
        return create(name, "OPERATOR", "operator");
    }

    /** A short random suffix that keeps names and codes unique across tests and runs. */
    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** An account of the given kind with a token of the given role, e.g. finance staff of the operator. */
    public Member create(String name, String kind, String role) {
        UUID accountId = TimeOrderedId.next();
        String unique = name + " " + unique();
        String token = TokenSecret.generate();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement account = connection.prepareStatement(
                     "INSERT INTO account (id, name, kind) VALUES (?, ?, ?)");
             PreparedStatement apiToken = connection.prepareStatement(
                     "INSERT INTO api_token (id, account_id, role, token_hash, label) VALUES (?, ?, ?, ?, 'test')")) {
            account.setObject(1, accountId);
            account.setString(2, unique);
            account.setString(3, kind);
            account.executeUpdate();
            apiToken.setObject(1, TimeOrderedId.next());
            apiToken.setObject(2, accountId);
            apiToken.setString(3, role);
            apiToken.setBytes(4, TokenSecret.hash(token));
            apiToken.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Member(accountId, unique, token);
    }
}
