{#- One row per switched-on source: its raw, staged, quarantined and
    duplicate rows, the quarantined share against its maximum, and the top
    reasons with counts and example raw values. The one definition of the
    quarantine_share check: the dbt test on stg_audit__row_reconciliation
    (tests/generic/source_health_tests.sql) and the Great Expectations gate
    both select the rows whose health_status is not 'ok'.

    A view, so that the test and the gate measure the audit tables as they
    are when they run, not as they were when this model was built.

    Vars: audience_segments_max_quarantined_share (default bar) and
    audience_segments_max_quarantined_share_by_source ({registry name: bar}).
    A share above the bar fails; at the bar passes. -#}
{{ config(materialized='view') }}

{%- set default_max = var('audience_segments_max_quarantined_share', 0.05) -%}
{%- set by_source = var('audience_segments_max_quarantined_share_by_source', {}) or {} -%}
{%- set known_sources = audience_segments.source_registry().keys() | list -%}
{#- How many reasons the message lists, and the columns whose raw values are
    personal data: their examples are never printed (dbt logs and the gate's
    JSON end up in CI artefacts). -#}
{%- set top_reason_count = 3 -%}
{%- set personal_columns = audience_segments.personal_columns() -%}

{#- Configuration mistakes fail the build here, naming the var. -#}
{%- set bars = [('audience_segments_max_quarantined_share', default_max)] -%}
{%- if by_source is not mapping -%}
    {{ audience_segments.segment_config_error(none, none, none,
        'audience_segments_max_quarantined_share_by_source must be a mapping {source: share}, got ' ~ by_source) }}
{%- endif -%}
{%- for source_key, ratio in by_source.items() -%}
    {%- if source_key not in known_sources -%}
        {{ audience_segments.segment_config_error(none, none, none,
            "audience_segments_max_quarantined_share_by_source: unknown source '" ~ source_key
            ~ "'; known: " ~ known_sources | join(', ')) }}
    {%- endif -%}
    {%- do bars.append(("audience_segments_max_quarantined_share_by_source: source '" ~ source_key ~ "'", ratio)) -%}
{%- endfor -%}
{%- for name, ratio in bars -%}
    {%- if ratio is not number or ratio is boolean or ratio < 0 or ratio > 1 -%}
        {{ audience_segments.segment_config_error(none, none, none,
            name ~ ': the share must be a number between 0 and 1, got ' ~ ratio) }}
    {%- endif -%}
{%- endfor -%}

{#- Portable formatting, as templates over {x} (dbt has no local macros):
    a non-negative count with thousands separators (69659 -> '69,659') and a
    share as a percentage (0.0425 -> '4.25%'). -#}
{%- set text = dbt.type_string() -%}
{%- set bigint = dbt.type_bigint() -%}
{%- set group_of = "lpad(cast(mod(cast(floor({x} / {e}) as " ~ bigint ~ "), 1000) as " ~ text ~ "), 3, '0')" -%}
{%- set leading = "cast(cast(floor({x} / {e}) as " ~ bigint ~ ") as " ~ text ~ ")" -%}
{%- set grouped_count -%}
case
        when {x} >= 1000000000
            then {{ leading.replace('{e}', '1000000000') }}
            || ',' || {{ group_of.replace('{e}', '1000000') }}
            || ',' || {{ group_of.replace('{e}', '1000') }}
            || ',' || {{ group_of.replace('{e}', '1') }}
        when {x} >= 1000000
            then {{ leading.replace('{e}', '1000000') }}
            || ',' || {{ group_of.replace('{e}', '1000') }}
            || ',' || {{ group_of.replace('{e}', '1') }}
        when {x} >= 1000
            then {{ leading.replace('{e}', '1000') }}
            || ',' || {{ group_of.replace('{e}', '1') }}
        else cast({x} as {{ text }})
    end
{%- endset -%}
{%- set percentage = "cast(cast(round(100 * {x}, 2) as numeric(9, 2)) as " ~ text ~ ") || '%'" %}

with

reconciliation as (

    select * from {{ ref('stg_audit__row_reconciliation') }}

),

quarantined_rows as (

    select * from {{ ref('stg_audit__quarantined_rows') }}

),

measured as (

    select
        source_key,
        source_name,
        raw_row_count,
        staged_row_count,
        quarantined_row_count,
        duplicate_row_count,
        erased_row_count,
        coalesce(quarantined_row_count * 1.0 / nullif(raw_row_count, 0), 0) as quarantined_share,
        {% if by_source -%}
            cast(
                case
                    {%- for source_key, ratio in by_source.items() | sort %}
                        when source_key = {{ audience_segments.sql_string(source_key) }} then {{ ratio }}
                    {%- endfor %}
                    else {{ default_max }}
                end as {{ dbt.type_numeric() }}
            )
        {%- else -%}
            cast({{ default_max }} as {{ dbt.type_numeric() }})
        {%- endif %} as max_quarantined_share
    from reconciliation

),

reasons as (

    select
        source_key,
        column_name,
        reason_code,
        count(*) as reason_row_count,
        min(
            case
                when column_name in ({{ audience_segments.quoted_list(personal_columns) }})
                    then '<personal data>'
                else substr(raw_value, 1, 40)
            end
        ) as example_raw_value
    from quarantined_rows
    group by source_key, column_name, reason_code

),

ranked as (

    select
        reasons.source_key,
        reasons.column_name,
        reasons.reason_code,
        reasons.reason_row_count,
        reasons.example_raw_value,
        measured.raw_row_count,
        row_number() over (
            partition by reasons.source_key
            order by reasons.reason_row_count desc, reasons.reason_code asc, reasons.column_name asc
        ) as reason_rank,
        count(*) over (partition by reasons.source_key) as count_reasons
    from reasons
    inner join measured
        on reasons.source_key = measured.source_key

),

described as (

    {#- 'ordered_at: 69,659 of 69,659 rows unparseable_timestamp, e.g. '19970101''
        (no example when the reason names no column; NULL when the value
        was missing). -#}
    select
        source_key,
        reason_rank,
        count_reasons,
        case when column_name is not null then column_name || ': ' else '' end
        || {{ grouped_count.replace('{x}', 'reason_row_count') }}
        || ' of ' || {{ grouped_count.replace('{x}', 'raw_row_count') }}
        || ' rows ' || reason_code
        || case
            when column_name is null then ''
            when example_raw_value is null then ', e.g. NULL'
            else ', e.g. ''' || example_raw_value || ''''
        end as reason_description
    from ranked
    where reason_rank <= {{ top_reason_count }}

),

top_reasons as (

    select
        source_key,
        {{ dbt.listagg('reason_description', "'; '", 'order by reason_rank') }}
        || case
            when max(count_reasons) > {{ top_reason_count }}
                then
                    '; and ' || cast(max(count_reasons) - {{ top_reason_count }} as {{ dbt.type_string() }})
                    || ' more reason(s)'
            else ''
        end as top_reasons
    from described
    group by source_key

),

final as (

    select
        measured.source_key,
        measured.source_name,
        case
            when measured.quarantined_share > measured.max_quarantined_share then 'too_many_quarantined'
            else 'ok'
        end as health_status,
        measured.raw_row_count,
        measured.staged_row_count,
        measured.quarantined_row_count,
        measured.duplicate_row_count,
        measured.erased_row_count,
        measured.quarantined_share,
        measured.max_quarantined_share,
        {#- Read by the gate's reconciliation check (the dbt twin is the
            model test on stg_audit__row_reconciliation). -#}
        measured.raw_row_count
        = measured.staged_row_count + measured.quarantined_row_count + measured.duplicate_row_count
        + measured.erased_row_count
            as is_reconciled,
        top_reasons.top_reasons,
        case
            when measured.quarantined_share > measured.max_quarantined_share
                then
                    measured.source_name || ': '
                    || {{ percentage.replace('{x}', 'measured.quarantined_share') }} || ' of '
                    || {{ grouped_count.replace('{x}', 'measured.raw_row_count') }} || ' raw rows quarantined (max '
                    || {{ percentage.replace('{x}', 'measured.max_quarantined_share') }} || '): '
                    || coalesce(top_reasons.top_reasons, 'no reason recorded')
        end as failure_message
    from measured
    left join top_reasons
        on measured.source_key = top_reasons.source_key

)

select * from final
