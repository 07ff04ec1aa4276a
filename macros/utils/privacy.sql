{#- The pseudonymisation salt is a secret, so it is never a literal in
    compiled SQL: compiled SQL lands in target/, in logs/dbt.log and, for a
    view, in the warehouse catalog, where anyone with the salt can re-hash
    known e-mails. salt_expression() is the SQL that yields it at run time.

    The demo salt applies only to the package's own demo (its project, the
    demo seeds, target dev); anywhere else an unset salt fails the build,
    naming the env var. -#}
{% macro is_demo_build() -%}
    {{ return(
        project_name == 'audience_segments'
        and target.name == 'dev'
        and var('audience_segments_use_demo_seeds', true)
        and not var('audience_segments_external_root', none)
    ) }}
{%- endmacro %}


{% macro missing_salt_message() -%}
    {{ return(
        'audience_segments: no pseudonymisation salt. Set the env var AUDIENCE_SEGMENTS_HASH_SALT '
        ~ '(on DuckDB, with the scripts.duckdb_salt plugin in the profile; see the README, "Privacy"). '
        ~ 'The demo salt applies only to the demo build.'
    ) }}
{%- endmacro %}


{% macro salt_expression() -%}
    {%- if var('audience_segments_hash_salt', none) is not none -%}
        {{ exceptions.raise_compiler_error(
            'audience_segments_hash_salt is no longer a var: dbt records vars in target/ (run_results.json, '
            ~ 'manifest.json). Set the env var AUDIENCE_SEGMENTS_HASH_SALT instead.'
        ) }}
    {%- endif -%}
    {{ return(adapter.dispatch('salt_expression', 'audience_segments')()) }}
{%- endmacro %}

{#- DuckDB: a session variable set by the scripts.duckdb_salt plugin from
    the env var when dbt connects. -#}
{% macro duckdb__salt_expression() -%}
    {#- Both arms typed as text: an untyped error() under || is folded to
        NULL instead of raising. -#}
    {%- set fallback = "'demo-salt-unsafe-for-production'" if audience_segments.is_demo_build()
        else "cast(error('" ~ audience_segments.missing_salt_message() ~ "') as " ~ dbt.type_string() ~ ")" -%}
    coalesce(cast(getvariable('audience_segments_hash_salt') as {{ dbt.type_string() }}), {{ fallback }})
{%- endmacro %}

{#- Elsewhere the salt is still read at compile time, so it appears in
    compiled SQL (target/): keep hashing models tables, never views, and
    target/ private. -#}
{% macro default__salt_expression() -%}
    {%- set salt = env_var('AUDIENCE_SEGMENTS_HASH_SALT', '') -%}
    {%- if not salt and audience_segments.is_demo_build() -%}
        {%- set salt = 'demo-salt-unsafe-for-production' -%}
    {%- elif not salt -%}
        {{ exceptions.raise_compiler_error(audience_segments.missing_salt_message()) }}
    {%- endif -%}
    '{{ salt | replace("'", "''") }}'
{%- endmacro %}


{% macro pseudonymise(expression) -%}
    {{ return(adapter.dispatch('pseudonymise', 'audience_segments')(expression)) }}
{%- endmacro %}

{% macro default__pseudonymise(expression) -%}
    {{ dbt.hash(dbt.concat([audience_segments.salt_expression(), expression])) }}
{%- endmacro %}

{#- DuckDB has sha256: prefer it to the md5 of dbt.hash where it exists. -#}
{% macro duckdb__pseudonymise(expression) -%}
    sha256({{ dbt.concat([audience_segments.salt_expression(), expression]) }})
{%- endmacro %}


{#- True for a person in the population: a staged customer without an
    erasure request (int_customers). Fact models filter their rows with it,
    so an erased person is in no fact table and in no population statistic
    (RFM quintiles, the reference date). -#}
{% macro in_population(customer_id) -%}
    {{ customer_id }} in (select population.customer_id from {{ ref('int_customers') }} as population)
{%- endmacro %}
