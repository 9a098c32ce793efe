package io.github.dropin.keycloak.claims;

import io.github.dropin.keycloak.users.LegacyIds;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.IDToken;
import org.keycloak.representations.RefreshToken;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Base of the pack's protocol mappers that give a dialect client's access tokens the claims the legacy framework put
 * in its tokens (SPEC §5), so that apps that decode their tokens keep working, whether the token comes from a dialect
 * endpoint or from Keycloak's own token endpoint. The user's id in them follows the dialect's {@code legacyIds}
 * setting ({@link LegacyIds}); which dialect is the mapper's {@value #DIALECT} option, by default the client's id
 * (the dialects' clients are named after them).
 * <p>
 * {@link #addToRefreshToken} puts the same claims, for {@code refresh}, into the refresh tokens of clients with such a
 * mapper: on Keycloak 26.7 through the refresh-token provider {@code LegacyClaims} (src/main/java-26.7), for every
 * token endpoint; on 26.4, which has no refresh-token provider SPI, the dialects call it for the tokens they issue.
 */
public abstract class LegacyClaimsMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper,
        TokenIntrospectionTokenMapper {

    /** Mapper option: the dialect whose {@code legacyIds} setting decides the ids (default: the client's id). */
    public static final String DIALECT = "dialect";
    /** Token types in the claims. */
    public static final String ACCESS = "access";
    public static final String REFRESH = "refresh";

    private final String id;
    private final String displayType;
    private final String helpText;
    private final String typeClaim;
    private final List<ProviderConfigProperty> properties;

    /**
     * The mapper's provider id and what the admin console shows for it, and the claim in which the framework names a
     * token's type; the other claims are {@link #addClaims}'.
     */
    protected LegacyClaimsMapper(String id, String displayType, String helpText, String typeClaim) {
        this.id = id;
        this.displayType = displayType;
        this.helpText = helpText;
        this.typeClaim = typeClaim;
        List<ProviderConfigProperty> list = ProviderConfigurationBuilder.create()
                .property().name(DIALECT).label("Dialect").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Dialect whose 'legacyIds' setting (realm attribute dropin.<dialect>.legacyIds) decides "
                        + "whether the ids in the claims are the legacy integers; empty: the client's id.")
                .add().build();
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(list, getClass());
        this.properties = List.copyOf(list);
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getDisplayType() {
        return displayType;
    }

    @Override
    public String getHelpText() {
        return helpText;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return properties;
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    /** After Keycloak's {@code sub} mapper, whose subject {@link FlaskJwtClaimsMapper} may replace. */
    @Override
    public int getPriority() {
        return 100;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        if (userSession == null || userSession.getUser() == null) {
            return;
        }
        String dialect = dialect(mappingModel.getConfig(), clientSessionCtx.getClientSession().getClient().getClientId());
        apply(token, session, userSession.getRealm(), userSession.getUser(), dialect, ACCESS);
    }

    /**
     * Gives {@code token} the legacy framework's claims for a token of {@code type} ({@link #ACCESS} or
     * {@link #REFRESH}) about {@code user}, with ids as {@code dialect} shows them: the type, then
     * {@link #addClaims}.
     */
    final void apply(IDToken token, KeycloakSession session, RealmModel realm, UserModel user, String dialect,
                     String type) {
        token.getOtherClaims().put(typeClaim, type);
        addClaims(token, session, realm, user, dialect);
    }

    /** The framework's claims besides the token's type, with ids as {@code dialect} shows them. */
    protected abstract void addClaims(IDToken token, KeycloakSession session, RealmModel realm, UserModel user,
                                      String dialect);

    /**
     * Gives a refresh token of {@code clientSessionCtx}'s client the claims of the client's legacy-claims mapper.
     *
     * @return whether the client has such a mapper (false: {@code token} is unchanged)
     */
    public static boolean addToRefreshToken(KeycloakSession session, ClientSessionContext clientSessionCtx,
                                            RefreshToken token) {
        Optional<ProtocolMapperModel> model = mapper(clientSessionCtx);
        model.ifPresent(m -> {
            UserSessionModel userSession = clientSessionCtx.getClientSession().getUserSession();
            LegacyClaimsMapper mapper = (LegacyClaimsMapper) session.getKeycloakSessionFactory()
                    .getProviderFactory(ProtocolMapper.class, m.getProtocolMapper());
            String dialect = dialect(m.getConfig(), clientSessionCtx.getClientSession().getClient().getClientId());
            mapper.apply(token, session, userSession.getRealm(), userSession.getUser(), dialect, REFRESH);
        });
        return model.isPresent();
    }

    /** The client's legacy-claims mapper, if it has one. */
    public static Optional<ProtocolMapperModel> mapper(ClientSessionContext context) {
        return context.getProtocolMappersStream()
                .filter(m -> SimpleJwtClaimsMapper.PROVIDER_ID.equals(m.getProtocolMapper())
                        || FlaskJwtClaimsMapper.PROVIDER_ID.equals(m.getProtocolMapper()))
                .findFirst();
    }

    static String dialect(Map<String, String> config, String clientId) {
        String configured = config == null ? null : config.get(DIALECT);
        return configured == null || configured.isBlank() ? clientId : configured.trim();
    }
}
