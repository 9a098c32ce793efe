<#ftl output_format="plainText">
${msg("dropin.email.body.intro.password_reset_token", realmName)}

${token}

${expiry}
