<#ftl output_format="plainText">
${msg("dropin.email.body.intro." + purpose)}

${code}

${msg("dropin.email.body.expiry", lifetimeMinutes)}
