# iptables port parsing: tcp (xtables_parse_port), udp (XTTYPE_PORTRC), multiport.
iptables -A INPUT -p tcp --dport 0x50 -j ACCEPT
iptables -A INPUT -p tcp --dport 010 -j ACCEPT
iptables -A INPUT -p tcp --dport 65535 -j ACCEPT
iptables -A INPUT -p tcp --dport 65536 -j ACCEPT
iptables -A INPUT -p tcp --dport 80:70 -j ACCEPT
iptables -A INPUT -p tcp --dport :70 -j ACCEPT
iptables -A INPUT -p tcp --sport 70: -j ACCEPT
iptables -A INPUT -p tcp --dport 1:2:3 -j ACCEPT
iptables -A INPUT -p tcp --dport +80 -j ACCEPT
iptables -A INPUT -p tcp --dport -1 -j ACCEPT
iptables -A INPUT -p tcp --dport 22 --dport 23 -j ACCEPT
iptables -A INPUT -p tcp --dport 22 --destination-port 23 -j ACCEPT
iptables -A INPUT -p tcp --sport 22 --source-port 23 -j ACCEPT
iptables -A INPUT -p tcp --dport http -j ACCEPT
iptables -A INPUT -p tcp --dport ssh:http -j ACCEPT
iptables -A INPUT -p udp --dport 0x50 -j ACCEPT
iptables -A INPUT -p udp --dport 010 -j ACCEPT
iptables -A INPUT -p udp --dport 65536 -j ACCEPT
iptables -A INPUT -p udp --dport 65537 -j ACCEPT
iptables -A INPUT -p udp --dport 80:70 -j ACCEPT
iptables -A INPUT -p udp --dport 1:2:3 -j ACCEPT
iptables -A INPUT -p udp --dport :70 -j ACCEPT
iptables -A INPUT -p udp --sport 70: -j ACCEPT
iptables -A INPUT -p udp --dport : -j ACCEPT
iptables -A INPUT -p udp --dport -1 -j ACCEPT
iptables -A INPUT -p udp --dport +53 -j ACCEPT
iptables -A INPUT -p udp --dport 53 --dport 54 -j ACCEPT
iptables -A INPUT -p udp --sport 53 --source-port 54 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80:80 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 90:80 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports :80 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 80: -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 0x10,010,65536 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 0x10,010 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14:20 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13:14,20 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -j ACCEPT
iptables -A INPUT -p udp -m multiport --sports 1:2:3 -j ACCEPT
iptables -S INPUT
iptables -R INPUT 100 -j ACCEPT
iptables -N empty
iptables -R empty 1 -j ACCEPT
iptables -D nosuch -j ACCEPT
iptables -D INPUT -p tcp --dport 9999 -j ACCEPT
iptables -C nosuch -j ACCEPT
iptables -X INPUT
iptables -X OUTPUT
iptables -L OUTPUT -n
iptables -X empty
iptables -X empty
iptables -Y
iptables -k
