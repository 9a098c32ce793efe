<#ftl output_format="plainText">
${msg("dropin.email.body.intro.password_reset_token", realmName)}

${token}

<#if (lifetimeMinutes < 120)>${msg("dropin.email.body.token.expiry.minutes", lifetimeMinutes)}<#else>${msg("dropin.email.body.token.expiry.hours", lifetimeHours)}</#if>
