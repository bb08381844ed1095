"""One module per job type. Each exposes ``run(ctx: FlowContext) -> str`` returning a Danish summary."""
