{#- One row per quality check: its kind and its severity in `dbt build` and
    in the Great Expectations gate. The one list of checks: the var
    audience_segments_quality_severity is validated against it here, and the
    gate reads this table instead of assuming severities.

    integrity  the marts are wrong (grain, exclusivity, coverage, keys, row
               reconciliation) or unsafe (k-anonymity): error in dbt build and in the gate.
    health     the marts are right but a segment or source is not usable
               (size, share, completeness, quarantined share): warn in dbt
               build, so every mart and diagnostic mart still builds, and
               error in the gate unless it runs with --health warn.

    A check named in the var takes that severity in both. The dbt tests
    cannot call a macro in their severity config, so each repeats its
    default; test_dbt_quality_tests.py checks that the manifest agrees with
    this table. -#}
{%- set checks = [
    {'name': 'exclusivity', 'kind': 'integrity'},
    {'name': 'coverage', 'kind': 'integrity'},
    {'name': 'staging_keys', 'kind': 'integrity'},
    {'name': 'reconciliation', 'kind': 'integrity'},
    {'name': 'k_anonymity', 'kind': 'integrity'},
    {'name': 'min_size', 'kind': 'health'},
    {'name': 'max_share', 'kind': 'health'},
    {'name': 'completeness', 'kind': 'health'},
    {'name': 'quarantine_share', 'kind': 'health'},
] -%}
{%- set dbt_defaults = {'integrity': 'error', 'health': 'warn'} -%}
{%- set configured = var('audience_segments_quality_severity', {}) or {} -%}
{%- set known_checks = checks | map(attribute='name') | list -%}

{%- if configured is not mapping -%}
    {{ audience_segments.segment_config_error(none, none, none,
        'audience_segments_quality_severity must be a mapping {check: error | warn}, got ' ~ configured) }}
{%- endif -%}
{%- for check, level in configured.items() -%}
    {%- if check not in known_checks -%}
        {{ audience_segments.segment_config_error(none, none, none,
            "audience_segments_quality_severity: unknown check '" ~ check ~ "'; known: " ~ known_checks | join(', ')) }}
    {%- endif -%}
    {%- if level not in ('error', 'warn') -%}
        {{ audience_segments.segment_config_error(none, none, none,
            "audience_segments_quality_severity: check '" ~ check ~ "' must be error or warn, got '" ~ level ~ "'") }}
    {%- endif -%}
{%- endfor -%}

with

checks as (

    {% for check in checks -%}
        {%- set is_configured = check.name in configured -%}
        select
            '{{ check.name }}' as check_name,
            '{{ check.kind }}' as check_kind,
            '{{ configured[check.name] if is_configured else dbt_defaults[check.kind] }}' as severity,
            '{{ configured[check.name] if is_configured else "error" }}' as gate_severity,
            {{ 'true' if is_configured else 'false' }} as is_configured
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

final as (

    select * from checks

)

select * from final
