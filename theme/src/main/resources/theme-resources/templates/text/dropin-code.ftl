<#ftl output_format="plainText">
${msg("dropin.email.body.intro." + purpose, realmName)}

${code}

${msg("dropin.email.body.expiry", lifetimeMinutes)}
