{#- k-anonymity (check 'k_anonymity'): every combination of the
    quasi-identifier columns of `model` is shared by at least k rows.
    Counted from the published rows themselves, never from a stored level.
    Fails with one row per combination that describes fewer than k people,
    with its size. `quasi_identifiers` and `k` default to the package
    configuration (audience_segments_quasi_identifiers, _k_anonymity). -#}
{% test k_anonymous(model, quasi_identifiers=none, k=none) %}
    {%- set columns = quasi_identifiers if quasi_identifiers is not none else audience_segments.quasi_identifiers() -%}
    {%- set k = k if k is not none else audience_segments.k_anonymity() -%}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('k_anonymous on ' ~ model ~ ': quasi_identifiers must be a non-empty list') }}
    {%- endif %}

    select
        {{ columns | join(', ') }},
        count(*) as group_size,
        {{ k }} as min_group_size
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) < {{ k }}
{% endtest %}
