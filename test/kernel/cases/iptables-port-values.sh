# iptables port arguments: the tcp match and multiport take numbers up to 65535 (decimal, hex
# or octal) and service names, while the udp match wraps decimal numbers at 65536 and accepts
# a backwards range. Repeated options, the replacement index, an unknown option and deleting a
# built-in chain have their own error texts.
iptables -A INPUT -p tcp --dport 99999 -j ACCEPT
iptables -A INPUT -p tcp --dport 65536 -j ACCEPT
iptables -A INPUT -p tcp --dport 65535 -j ACCEPT
iptables -A INPUT -p tcp --dport 90:80 -j ACCEPT
iptables -A INPUT -p tcp --dport 80 --dport 81 -j ACCEPT
iptables -A INPUT -p tcp --sport 1 --source-port 2 -j ACCEPT
iptables -A INPUT -p udp --dport 80 --destination-port 81 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80,70000 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 90:80 -j ACCEPT
iptables -A INPUT -p tcp --sport 70000:80000 -j ACCEPT
iptables -A INPUT -p udp --sport 70000: -j ACCEPT
iptables -A INPUT -p udp --sport :70000 -j ACCEPT
iptables -A INPUT -p tcp --dport 0x50 -j ACCEPT
iptables -A INPUT -p tcp --dport 080 -j ACCEPT
iptables -A INPUT -p tcp --dport -1 -j ACCEPT
iptables -A INPUT -p tcp --dport nosuchservice -j ACCEPT
iptables -A INPUT -p tcp --dport http:https -j ACCEPT
iptables -A INPUT -p tcp --dport 1:2:3 -j ACCEPT
iptables -S INPUT
iptables -D INPUT -s 10.1.1.1 -j DROP
iptables -C OUTPUT -j DROP
iptables -A FORWARD -j ACCEPT
iptables -R FORWARD 2 -j DROP
iptables -R FORWARD 0 -j DROP
iptables -D FORWARD 3
iptables -I FORWARD 3 -j DROP
iptables -I FORWARD 2 -j DROP
iptables -Q
iptables -X INPUT
iptables -X FORWARD
iptables -A INPUT -p udp --dport 90:80 -j ACCEPT
iptables -A INPUT -p udp --dport 0x50 -j ACCEPT
iptables -A INPUT -p udp --dport 99999 -j ACCEPT
iptables -A INPUT -p udp --dport 1:2:3 -j ACCEPT
iptables -A INPUT -p udp --dport -1 -j ACCEPT
iptables -A INPUT -p udp --dport 080 -j ACCEPT
iptables -A INPUT -p udp --dport domain -j ACCEPT
iptables -A INPUT -p udp --dport nosuch -j ACCEPT
iptables -A INPUT -p udp --sport 5 --sport 6 -j ACCEPT
iptables -A INPUT -p tcp --dport 0x10:0x20 -j ACCEPT
iptables -A INPUT -p tcp --dport : -j ACCEPT
iptables -A INPUT -p tcp --dport 90: -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 0x50,https -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80,65536 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80:70000 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80:80 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80:81,443 -j ACCEPT
iptables -S
