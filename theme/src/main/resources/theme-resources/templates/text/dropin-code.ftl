<#ftl output_format="plainText">
${msg("dropin.email.body.intro." + purpose, realmName)}

${code}

${expiry}
