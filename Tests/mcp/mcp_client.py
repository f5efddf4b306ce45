#!/usr/bin/env python3
"""Drives `paperboy mcp` with the reference Python MCP client (PyPI `mcp`), the way an
assistant would: lists the tools, calls each of them, and prints one JSON document of what
came back, for MCPTests.swift to check.

    mcp_client.py stdio PAPERBOY DATA_DIR [--reader EMAIL] --query Q --paper ID
    mcp_client.py http URL --query Q --paper ID

Over stdio it starts `PAPERBOY mcp --data DATA_DIR` itself (the environment's PAPERBOY_MODEL
is passed on); over HTTP it connects to a running `paperboy mcp --http`.
"""

import argparse
import json
import os
import sys

import anyio
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client


def outcome(result):
    """A call's result as plain JSON: its error flag, structured answer and text."""
    texts = [part.text for part in result.content if getattr(part, "type", None) == "text"]
    return {
        "isError": bool(result.is_error),
        "structured": result.structured_content,
        "text": "\n".join(texts),
    }


async def exercise(session, args):
    await session.initialize()
    listed = await session.list_tools()
    report = {
        "tools": sorted(tool.name for tool in listed.tools),
        "schemas": {tool.name: tool.input_schema for tool in listed.tools},
        "calls": {},
    }
    calls = {
        "search": ("search", {"query": args.query, "mode": "keyword", "limit": 5}),
        "search_filtered": ("search", {"query": args.query, "category": "nowhere.XX", "limit": 5}),
        "search_page2": ("search", {"query": args.query, "mode": "keyword", "limit": 2, "offset": 2}),
        "search_semantic": ("search", {"query": args.query, "mode": "semantic"}),
        "search_bad_limit": ("search", {"query": args.query, "limit": 500}),
        "search_bad_mode": ("search", {"query": args.query, "mode": "psychic"}),
        "search_unknown_argument": ("search", {"query": args.query, "colour": "blue"}),
        "get_paper": ("get_paper", {"id": args.paper}),
        "get_paper_unknown": ("get_paper", {"id": "1901.99999"}),
        "get_paper_malformed": ("get_paper", {"id": "not an id"}),
        "similar_papers": ("similar_papers", {"id": args.paper, "limit": 5}),
        "similar_bad_filter": ("similar_papers", {"id": args.paper, "filter": "since:2024-13-01"}),
        "daily_papers": ("daily_papers", {}),
        "daily_bad_date": ("daily_papers", {"date": "yesterday"}),
        "trending_papers": ("trending_papers", {"limit": 5}),
        "library": ("library", {}),
        "library_tag": ("library", {"tag": args.tag}),
    }
    for label, (name, arguments) in calls.items():
        report["calls"][label] = outcome(await session.call_tool(name, arguments))
    return report


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("transport", choices=["stdio", "http"])
    parser.add_argument("target", help="the paperboy binary (stdio) or the endpoint URL (http)")
    parser.add_argument("data", nargs="?", help="the data directory (stdio)")
    parser.add_argument("--reader")
    parser.add_argument("--query", required=True)
    parser.add_argument("--paper", required=True)
    parser.add_argument("--tag", default="to read")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    with anyio.fail_after(args.timeout):
        if args.transport == "stdio":
            command = ["mcp", "--data", args.data] + (["--reader", args.reader] if args.reader else [])
            environment = {name: os.environ[name] for name in ("PAPERBOY_MODEL",) if name in os.environ}
            server = StdioServerParameters(command=args.target, args=command, env=environment)
            async with stdio_client(server) as streams:
                async with ClientSession(streams[0], streams[1]) as session:
                    report = await exercise(session, args)
        else:
            async with streamable_http_client(args.target) as streams:
                async with ClientSession(streams[0], streams[1]) as session:
                    report = await exercise(session, args)
    json.dump(report, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    anyio.run(main)
