-- MySQL dump 10.13  Distrib 5.0.51a, for debian-linux-gnu (i486)
/*!40101 SET NAMES latin1 */;
DROP TABLE IF EXISTS `efic_fanfiction_settings`;
CREATE TABLE `efic_fanfiction_settings` (
  `sitekey` varchar(50) NOT NULL,
  `sitename` varchar(200) NOT NULL,
  `url` varchar(200),
  `store` varchar(5),
  `storiespath` varchar(20)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_settings` VALUES ('oldhaven','Old Haven Archive','http://oldhaven.example.net/fics','files','stories');
DROP TABLE IF EXISTS `efic_fanfiction_authors`;
CREATE TABLE `efic_fanfiction_authors` (
  `uid` int(11) NOT NULL auto_increment,
  `penname` varchar(200),
  `realname` varchar(200),
  `email` varchar(200),
  `bio` text,
  `image` varchar(200),
  `date` int(11),
  `admincreated` char(1),
  `password` varchar(40)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_authors` VALUES (1,'RenÃ©e','','renee@example.org','Bio','',1100000000,'0','x'),(2,'Tom &amp; Jerry','','tj@example.org','','',1100000000,'0','y'),(3,'Lurker','','lurker@example.org','','',1100000000,'0','z');
DROP TABLE IF EXISTS `efic_fanfiction_categories`;
CREATE TABLE `efic_fanfiction_categories` (
  `catid` int(11),
  `parentcatid` int(11),
  `category` varchar(60),
  `description` text,
  `image` varchar(100),
  `locked` char(1),
  `leveldown` tinyint(4),
  `displayorder` int(11),
  `numitems` int(11)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_categories` VALUES (1,-1,'Stargate SG-1','','','0',0,1,1),(2,-1,'Doctor Who','','','0',0,2,1),(3,2,'Classic Who','','','0',1,1,1);
DROP TABLE IF EXISTS `efic_fanfiction_characters`;
CREATE TABLE `efic_fanfiction_characters` (
  `charid` int(11),
  `catid` int(11),
  `charname` varchar(60),
  `bio` text,
  `image` varchar(200)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_characters` VALUES (1,1,'Daniel Jackson','',''),(2,2,'The Doctor','',''),(3,1,'Doctor Who','','');
DROP TABLE IF EXISTS `efic_fanfiction_classtypes`;
CREATE TABLE `efic_fanfiction_classtypes` (
  `classtype_id` int(11),
  `classtype_name` varchar(50),
  `classtype_title` varchar(50)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_classtypes` VALUES (1,'pairings','Pairings'),(2,'warnings','Content Warnings');
DROP TABLE IF EXISTS `efic_fanfiction_classes`;
CREATE TABLE `efic_fanfiction_classes` (
  `class_id` int(11),
  `class_type` int(11),
  `class_name` varchar(100)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_classes` VALUES (1,1,'Daniel/Doctor'),(2,2,'Rape/Non-con'),(3,2,'Swearing, lots');
DROP TABLE IF EXISTS `efic_fanfiction_ratings`;
CREATE TABLE `efic_fanfiction_ratings` (
  `rid` int(11),
  `rating` varchar(60),
  `ratingwarning` char(1),
  `warningtext` text
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_ratings` VALUES (1,'Teen','0',''),(2,'Adult','1','');
DROP TABLE IF EXISTS `efic_fanfiction_stories`;
CREATE TABLE `efic_fanfiction_stories` (
  `sid` int(11),
  `title` varchar(200),
  `summary` text,
  `storynotes` text,
  `catid` varchar(100),
  `classes` varchar(200),
  `charid` varchar(250),
  `rid` varchar(25),
  `date` int(11),
  `updated` int(11),
  `uid` int(11),
  `coauthors` tinyint(1),
  `featured` char(1),
  `validated` char(1),
  `completed` char(1),
  `rr` char(1),
  `wordcount` int(11),
  `rating` tinyint(4),
  `reviews` smallint(6),
  `count` int(11)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_stories` (`sid`,`title`,`summary`,`storynotes`,`catid`,`classes`,`charid`,`rid`,`date`,`updated`,`uid`,`coauthors`,`featured`,`validated`,`completed`,`rr`,`wordcount`,`rating`,`reviews`,`count`) VALUES (1,'CafÃ© Noir','Daniel meets a man in a box. It\'s â€œbiggerâ€ inside.','<font color="red">Crossover!</font><script>alert(1)</script>','1,3','1,2,3','1,2,3','2',1100000100,1100000200,1,1,'0','1','1','0',10,0,1,42),(2,'Empty Promise','A story whose chapters were lost.','','1','','1','1',1100000300,1100000300,2,0,'0','1','0','0',0,0,0,0),(3,'Orphaned','Its author deleted their account.','','2','','2','1',1100000400,1100000400,9,0,'0','1','1','0',5,0,1,7);
DROP TABLE IF EXISTS `efic_fanfiction_coauthors`;
CREATE TABLE `efic_fanfiction_coauthors` (
  `sid` int(11),
  `uid` int(11)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_coauthors` VALUES (1,2);
DROP TABLE IF EXISTS `efic_fanfiction_chapters`;
CREATE TABLE `efic_fanfiction_chapters` (
  `chapid` int(11),
  `title` varchar(250),
  `inorder` int(11),
  `notes` text,
  `storytext` text,
  `endnotes` text,
  `validated` char(1),
  `wordcount` int(11),
  `rating` tinyint(4),
  `reviews` smallint(6),
  `sid` int(11),
  `uid` int(11),
  `count` int(11)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_chapters` VALUES (11,'The Box',2,'','','','1',4,0,0,1,1,0),(10,'The Man',1,'Ch. note','','Fin du chapitre','1',6,0,0,1,1,0),(12,'Gone',1,'','','','1',5,0,0,3,9,0);
DROP TABLE IF EXISTS `efic_fanfiction_reviews`;
CREATE TABLE `efic_fanfiction_reviews` (
  `reviewid` int(11),
  `item` int(11),
  `chapid` int(11),
  `reviewer` varchar(60),
  `uid` int(11),
  `review` text,
  `date` int(11),
  `rating` int(11),
  `respond` char(1),
  `type` char(2)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_reviews` VALUES (1,1,10,'Lurker',3,'Tr�s bien, caf�!',1100000500,-1,'0','ST'),(2,3,12,'ghost',9,'Who wrote this?',1100000600,8,'0','ST');
DROP TABLE IF EXISTS `efic_fanfiction_favorites`;
CREATE TABLE `efic_fanfiction_favorites` (
  `uid` int(11),
  `item` int(11),
  `type` char(2),
  `comments` text
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_favorites` VALUES (3,1,'ST','Loved the box'),(3,2,'AU','');
DROP TABLE IF EXISTS `efic_fanfiction_series`;
CREATE TABLE `efic_fanfiction_series` (
  `seriesid` int(11),
  `title` varchar(200),
  `summary` text,
  `uid` int(11),
  `isopen` tinyint(4),
  `catid` varchar(200),
  `rating` tinyint(4),
  `classes` varchar(200),
  `characters` varchar(250),
  `reviews` smallint(6),
  `numstories` int(11),
  `challenges` varchar(200)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_series` VALUES (1,'Boxes \\\'n Gates','',1,0,'1',0,'','',0,2,'');
DROP TABLE IF EXISTS `efic_fanfiction_inseries`;
CREATE TABLE `efic_fanfiction_inseries` (
  `seriesid` int(11),
  `sid` int(11),
  `subseriesid` int(11),
  `confirmed` int(11),
  `inorder` int(11)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
INSERT INTO `efic_fanfiction_inseries` VALUES (1,3,0,1,1),(1,1,0,1,2);
CREATE TABLE `efic_fanfiction_log` (`log_id` int(11)) ENGINE=MyISAM;
INSERT INTO `efic_fanfiction_log` VALUES (1),(2);
