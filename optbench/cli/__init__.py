"""The ``optbench`` command line."""

from __future__ import annotations

import click

from optbench import __version__
from optbench.cli.catalogue_cmd import techniques_group
from optbench.cli.check_cmd import measure_cmd, verify_cmd
from optbench.cli.dashboard_cmd import dashboard_cmd
from optbench.cli.datasets_cmd import datasets_group
from optbench.cli.models_cmd import models_group
from optbench.cli.run_cmd import evaluate_cmd, report_cmd, run_cmd, runs_cmd
from optbench.cli.train_cmd import train_group


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="optbench")
def cli() -> None:
    """optbench: compare LLM code-optimization techniques on slow programs, with every
    "faster" program checked for equivalence (Hypothesis) and timed (pyperf).

    \b
    Typical session:
      optbench datasets list
      optbench run --dataset optbench-py --technique identity,reference --profile quick
      optbench report
    """


cli.add_command(datasets_group)
cli.add_command(verify_cmd)
cli.add_command(measure_cmd)
cli.add_command(run_cmd)
cli.add_command(evaluate_cmd)
cli.add_command(report_cmd)
cli.add_command(runs_cmd)
cli.add_command(techniques_group)
cli.add_command(models_group)

cli.add_command(dashboard_cmd)
cli.add_command(train_group)


def main() -> None:
    cli()
