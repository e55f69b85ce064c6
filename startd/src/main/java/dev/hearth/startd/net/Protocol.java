package dev.hearth.startd.net;

/** A transport protocol a port is forwarded for, as nftables names it. */
public enum Protocol {
  TCP("tcp"),
  UDP("udp");

  final String nft;

  Protocol(String nft) {
    this.nft = nft;
  }
}
